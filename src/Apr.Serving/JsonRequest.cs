// JsonRequest: reads a request body as one JSON object within the size limit (413 past it) and reads its
// fields with their types checked, so a wrong type gets a 400 that names the field and what it must be
// ("'temperature' must be a number in 0..100, got \"hot\""). Absent and null fields read as null.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Apr.Serving;

internal static class JsonRequest
{
    /// <summary>The body as a JSON object; 413 over <paramref name="maxBytes"/>, 400 when it is not a JSON object.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancel)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw TooLarge(maxBytes);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { throw TooLarge(maxBytes); }
        if (buffer.Length == 0) throw ApiError.BadRequest("the request body is empty: expected a JSON object", null, "invalid_json");
        JsonNode? node;
        try { node = JsonNode.Parse(buffer.ToArray(), documentOptions: Core.Json.Strict); }
        catch (JsonException e) { throw ApiError.BadRequest($"the request body is not valid JSON: {FirstLine(e.Message)}", null, "invalid_json"); }
        return node as JsonObject ?? throw ApiError.BadRequest($"the request body must be a JSON object, got {Kind(node)}", null, "invalid_json");
    }

    private static ApiError TooLarge(long maxBytes) =>
        new(413, $"the request body is larger than the limit of {maxBytes:N0} bytes (--max-body-bytes)", null, "request_too_large");

    public static string? String(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Wrong(name, "a string", node);
    }

    public static bool? Bool(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false", node),
        };
    }

    public static long? Integer(JsonObject o, string name, long min, long max) => IntegerOf(o[name], name, min, max);

    public static long? IntegerOf(JsonNode? node, string name, long min, long max)
    {
        if (node is null) return null;
        var what = $"an integer in {min:N0}..{max:N0}";
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var x))
            throw Wrong(name, what, node);
        return x < min || x > max ? throw Wrong(name, what, node) : x;
    }

    public static double? Number(JsonObject o, string name, double min, double max)
    {
        var node = o[name];
        if (node is null) return null;
        var what = $"a number in {min}..{max}";
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<double>(out var x) || !double.IsFinite(x))
            throw Wrong(name, what, node);
        return x < min || x > max ? throw Wrong(name, what, node) : x;
    }

    /// <summary>A probability mass in (0, 1] (top_p), null when absent.</summary>
    public static double? Mass(JsonObject o, string name)
    {
        var x = Number(o, name, 0, 1);
        return x is 0 ? throw Wrong(name, "a number in (0, 1]", o[name]) : x;
    }

    public static JsonArray? Array(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        return node as JsonArray ?? throw Wrong(name, "an array", node);
    }

    public static JsonObject? Object(JsonObject o, string name)
    {
        var node = o[name];
        if (node is null) return null;
        return node as JsonObject ?? throw Wrong(name, "an object", node);
    }

    /// <summary>An array of integers in min..max (null when absent); <paramref name="nonEmpty"/> refuses [].</summary>
    public static int[]? Ints(JsonObject o, string name, int min, int max, bool nonEmpty = false)
    {
        var array = Array(o, name);
        if (array is null) return null;
        if (nonEmpty && array.Count == 0) throw ApiError.BadRequest($"'{name}' must not be empty", name);
        var ids = new int[array.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = (int)IntegerOf(array[i] ?? throw Wrong($"{name}[{i}]", "an integer", null), $"{name}[{i}]", min, max)!;
        return ids;
    }

    public static ApiError Wrong(string name, string what, JsonNode? got) =>
        ApiError.BadRequest($"'{name}' must be {what}, got {Shown(got)}", name);

    private static string Shown(JsonNode? node)
    {
        var text = node is null ? "null" : node.ToJsonString();
        return text.Length > 40 ? text[..40] + "..." : text;
    }

    private static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
