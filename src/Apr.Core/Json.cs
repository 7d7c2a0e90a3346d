// Json: shared writer options. Traces are full of < > ' + characters; the default encoder would
// write them as \u003C etc. These files are data, never HTML, so the relaxed encoder keeps them readable.
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Apr.Core;

public static class Json
{
    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Serializer = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Reader options that refuse an object naming a property twice with a JsonException at parse time. With
    /// the default options JsonNode.Parse accepts it and the first lookup or enumeration of the object throws an
    /// ArgumentException (a duplicate key) that no reader expects.</summary>
    public static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };
}
