// TraceFile: traces as JSONL, one problem a line:
//   {"id": "...", "target": 27, "nums": [22, 26, 31, 53], "method": "apr", "solved": true,
//    "answer": ["53-22=31", ...], "depth": 2 (only when above 1: the APR nesting it was written with),
//    "calls": [{"thread": "0", "parent": null, "prompt": "...", "completion": "..."}, ...]}
//
// Reading also accepts the Python reference's format (fields `search_path` for SoS+, `trace_dict`
// with `main_calls`/`sub_calls` for APR, `rating`), converted to calls by the protocol library's
// ReferenceFormat. Reading streams: a file of any size is read one line at a time.
using System.Text;
using System.Text.Json;
using Apr.Core;
using Apr.Protocol;

namespace Apr.Data;

public static class TraceFile
{
    /// <summary>Streams the records of a traces file (ours or the reference's format).</summary>
    public static IEnumerable<TraceRecord> Read(string path) => JsonLines.Read(path, "traces", FromElement);

    /// <summary>Streams every record of a traces file; a line that does not parse is reported with its file:line and the reading goes on.</summary>
    public static IEnumerable<(TraceRecord? Record, string? Error)> ReadEach(string path) => JsonLines.ReadEach(path, "traces", FromElement);

    public static TraceRecord ParseLine(string json, string where, string defaultId) => JsonLines.ParseObject(json, where, defaultId, FromElement);

    private static TraceRecord FromElement(JsonElement root, string where, string defaultId)
    {
        var problem = ProblemFile.FromElement(root, where, defaultId);
        if (root.TryGetProperty("calls", out var callsEl)) return ReadOurs(root, callsEl, problem, where);
        if (root.TryGetProperty("trace_dict", out var dictEl)) return ReferenceTraces.FromTraceDict(dictEl, problem, where);
        if (root.TryGetProperty("search_path", out var pathEl)) return ReferenceTraces.FromSearchPath(pathEl, problem, where);
        throw new DataException($"{where}: no 'calls' (apr format), 'trace_dict' or 'search_path' (reference format) field");
    }

    private static TraceRecord ReadOurs(JsonElement root, JsonElement callsEl, Countdown.CountdownProblem p, string where)
    {
        var name = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        if (!SearchMethods.TryParse(name, out var method))
            throw new DataException($"{where}: 'method' must be \"sosp\" or \"apr\", found {(name.Length == 0 ? "nothing" : $"\"{name}\"")}");
        var solved = root.TryGetProperty("solved", out var s) && s.ValueKind == JsonValueKind.True;
        var answer = new List<string>();
        if (root.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.Array)
            foreach (var op in a.EnumerateArray()) answer.Add(op.GetString() ?? throw new DataException($"{where}: 'answer' must hold strings"));
        if (callsEl.ValueKind != JsonValueKind.Array) throw new DataException($"{where}: 'calls' must be an array");
        var calls = new List<ThreadCall>();
        var k = 0;
        foreach (var c in callsEl.EnumerateArray())
        {
            string Field(string name, bool nullable)
            {
                if (!c.TryGetProperty(name, out var el) || (el.ValueKind == JsonValueKind.Null && !nullable))
                    throw new DataException($"{where}: call {k} has no '{name}'");
                if (el.ValueKind == JsonValueKind.Null) return null!;
                if (el.ValueKind != JsonValueKind.String) throw new DataException($"{where}: call {k} field '{name}' must be a string");
                return el.GetString()!;
            }
            calls.Add(new ThreadCall(Field("thread", false), Field("parent", true), Field("prompt", false), Field("completion", false)));
            k++;
        }
        if (calls.Count == 0) throw new DataException($"{where}: 'calls' is empty");
        int depth = 1;
        if (root.TryGetProperty("depth", out var d) && !(d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out depth) && depth is >= 1 and <= TraceRecord.MaxDepth))
            throw new DataException($"{where}: 'depth' must be an integer in 1..{TraceRecord.MaxDepth}, found {d.GetRawText()}");
        return new TraceRecord(p.Id, p.Target, p.Nums, method, solved, answer, calls) { Depth = depth };
    }

    /// <summary>One record as one compact JSON line (no newline). Field order is fixed, so output is byte-reproducible.</summary>
    public static string ToJsonLine(TraceRecord r)
    {
        using var buffer = new MemoryStream(1024);
        WriteJson(buffer, r);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void WriteJson(Stream stream, TraceRecord r)
    {
        using var w = new Utf8JsonWriter(stream, Json.Writer);
        w.WriteStartObject();
        ProblemFile.WriteProblemFields(w, r.Id, r.Target, r.Nums);
        w.WriteString("method", r.Method.WireName());
        w.WriteBoolean("solved", r.Solved);
        ProblemFile.WriteStrings(w, "answer", r.Answer);
        if (r.Depth != 1) w.WriteNumber("depth", r.Depth);
        w.WriteStartArray("calls");
        foreach (var c in r.Calls)
        {
            w.WriteStartObject();
            w.WriteString("thread", c.Thread);
            if (c.Parent is null) w.WriteNull("parent"); else w.WriteString("parent", c.Parent);
            w.WriteString("prompt", c.Prompt);
            w.WriteString("completion", c.Completion);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
