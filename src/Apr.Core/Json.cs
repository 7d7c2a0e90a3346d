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
}
