// ProblemFile: Countdown problems as JSONL, one problem a line:
//   {"id": "val-000001", "target": 27, "nums": [22, 26, 31, 53], "solution": ["53-22=31", "31/31=1", "26+1=27"]}
//
// Reading accepts any such file, ours or anyone's: only `target` and `nums` are required; `id` may be
// a string or a number and defaults to the line number; `solution` is optional; other fields (the
// reference's `optimal_path`, `start_size`, ...) are ignored. Problems outside ProblemLimits (target
// below 1, fewer than 2 or more than 6 numbers, a number above 1,000,000) are refused when read, so no
// verb starts a search it cannot finish. Every error names the file and line.
using System.Text;
using System.Text.Json;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Data;

public static class ProblemFile
{
    /// <summary>Reads every problem of a JSONL file, strictly.</summary>
    public static List<CountdownProblem> Read(string path) => [.. JsonLines.Read(path, "problems", FromElement)];

    /// <summary>Parses one JSON object into a problem; <paramref name="where"/> prefixes error messages.</summary>
    public static CountdownProblem ParseLine(string json, string where, string defaultId) => JsonLines.ParseObject(json, where, defaultId, FromElement);

    public static CountdownProblem FromElement(JsonElement root, string where, string defaultId)
    {
        var id = defaultId;
        if (root.TryGetProperty("id", out var idEl))
        {
            id = idEl.ValueKind switch
            {
                JsonValueKind.String => idEl.GetString()!,
                JsonValueKind.Number => idEl.GetRawText(),
                _ => throw new DataException($"{where}: 'id' must be a string or a number, found {idEl.ValueKind}"),
            };
        }
        if (!root.TryGetProperty("target", out var targetEl)) throw new DataException($"{where}: missing field 'target'");
        var target = ReadNumber(targetEl, where, "target");
        if (!root.TryGetProperty("nums", out var numsEl)) throw new DataException($"{where}: missing field 'nums'");
        if (numsEl.ValueKind != JsonValueKind.Array) throw new DataException($"{where}: 'nums' must be an array, found {numsEl.ValueKind}");
        var nums = new List<long>();
        foreach (var n in numsEl.EnumerateArray()) nums.Add(ReadNumber(n, where, "nums"));
        if (ProblemLimits.Check(target, nums) is { } outOfRange) throw new DataException($"{where}: {outOfRange}");
        var solution = new List<Operation>();
        if (root.TryGetProperty("solution", out var solEl) && solEl.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in solEl.EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.String) throw new DataException($"{where}: 'solution' must hold strings such as \"53-22=31\"");
                if (!Operation.TryParse(s.GetString(), out var op, out var error)) throw new DataException($"{where}: solution: {error}");
                solution.Add(op);
            }
        }
        return new CountdownProblem(id, target, nums, solution);
    }

    private static long ReadNumber(JsonElement el, string where, string field)
    {
        if (el.ValueKind != JsonValueKind.Number || !el.TryGetInt64(out var v))
            throw new DataException($"{where}: '{field}' must hold integers, found {el.GetRawText()}");
        return v;
    }

    /// <summary>One problem as one compact JSON line (no newline).</summary>
    public static string ToJsonLine(CountdownProblem p)
    {
        using var buffer = new MemoryStream(128);
        using (var w = new Utf8JsonWriter(buffer, Json.Writer))
        {
            w.WriteStartObject();
            WriteProblemFields(w, p.Id, p.Target, p.Nums);
            WriteStrings(w, "solution", p.Solution.Select(op => op.ToString()));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The fields every problem and trace line starts with: id, target, nums.</summary>
    public static void WriteProblemFields(Utf8JsonWriter w, string id, long target, IReadOnlyList<long> nums)
    {
        w.WriteString("id", id);
        w.WriteNumber("target", target);
        w.WriteStartArray("nums");
        foreach (var n in nums) w.WriteNumberValue(n);
        w.WriteEndArray();
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Writes the problems atomically, one JSON line each.</summary>
    public static void Write(string path, IEnumerable<CountdownProblem> problems) =>
        AtomicFile.Write(path, s =>
        {
            using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var p in problems) w.WriteLine(ToJsonLine(p));
        });
}
