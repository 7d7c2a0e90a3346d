// Reads the calls of trace JSONL files ({"id", "method", "calls": [{"thread", "parent", "prompt",
// "completion"}], ...} per line). Reads only what SFT needs; does not validate trace grammar.
using System.Text.Json;

namespace Apr.Training;

/// <summary>Reader of the <c>calls</c> of trace files.</summary>
public static class TraceCalls
{
    /// <summary>Every call of every line of <paramref name="path"/>, in file order.</summary>
    public static IEnumerable<SftCall> Read(string path)
    {
        int line = -1;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var doc = Parse(text, path, line);
            var root = doc.RootElement;
            string id = root.TryGetProperty("id", out var idEl) ? idEl.ToString() : line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            if (!root.TryGetProperty("calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}:{line + 1}: no \"calls\" array");
            foreach (var call in calls.EnumerateArray())
            {
                string thread = call.TryGetProperty("thread", out var t) ? t.ToString() : "";
                string prompt = Text(call, "prompt", path, line);
                string completion = Text(call, "completion", path, line);
                yield return new SftCall(path, line, id, method, thread, prompt, completion);
            }
        }
    }

    private static JsonDocument Parse(string text, string path, int line)
    {
        try { return JsonDocument.Parse(text); }
        catch (JsonException e) { throw new InvalidDataException($"{path}:{line + 1}: {e.Message}", e); }
    }

    private static string Text(JsonElement call, string name, string path, int line) =>
        call.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new InvalidDataException($"{path}:{line + 1}: a call has no string \"{name}\"");
}
