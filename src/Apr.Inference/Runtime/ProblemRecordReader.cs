// ProblemRecordReader: reads one line of ProblemRecordJson back into a ProblemRecord (`apr eval --resume`,
// and any tool that reads records/ or `apr solve --json`). The inverse of the writer: a record written
// with texts and tokens reads back whole; one written without them reads back with empty texts and, per
// call, placeholder tokens (id -1, the sampled ones first) that keep every count the JSON states, so
// writing it again gives the same JSON. A field that is missing or of the wrong type is a FormatException
// naming the field. Records written before calls carried "children" (the committed evaluation results of
// bench/results/eval/frontier) get each spawning call's children from the steps (InferChildren), so their
// trace tree and critical path can be drawn.
using System.Text.Json;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference;

public static class ProblemRecordReader
{
    private static readonly Dictionary<string, ThreadOutcome> Outcomes =
        Enum.GetValues<ThreadOutcome>().ToDictionary(o => JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString()), StringComparer.Ordinal);

    /// <summary>The record in <paramref name="json"/> (one object of ProblemRecordJson's format).</summary>
    public static ProblemRecord Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object) throw new FormatException("a record must be a JSON object");
        if (Int(o, "format") != ProblemRecordJson.FormatVersion) throw new FormatException($"record format {Int(o, "format")} is not {ProblemRecordJson.FormatVersion}");
        var method = SearchMethods.TryParse(Str(o, "method")!, out var m) ? m : throw new FormatException($"record field 'method' is \"{Str(o, "method")}\", not sosp or apr");
        Operation[]? answer = null;
        if (Field(o, "answer") is { ValueKind: JsonValueKind.Array } a)
            answer = [.. a.EnumerateArray().Select(step => Operation.TryParse(step.ValueKind == JsonValueKind.String ? step.GetString() : "", out var op, out var error)
                ? op : throw new FormatException($"record field 'answer': {error}"))];
        var calls = Array(o, "threads").Select(Call).ToArray();
        if (calls.Length > 0 && Array(o, "threads").All(c => !c.TryGetProperty("children", out _))) calls = InferChildren(calls);
        return new ProblemRecord(Str(o, "id")!, Int(o, "sample"), Long(o, "target"), [.. Array(o, "nums").Select(n => Integer(n, "nums"))],
            method, answer, Bool(o, "correct"), Str(o, "verify_error"), Outcome(o), calls,
            Long(o, "total_tokens"), Long(o, "sampled_tokens"), Long(o, "sequential_tokens"),
            Field(o, "latency_ms").ValueKind == JsonValueKind.Null ? null : Double(o, "latency_ms"), Long(o, "steps"), Int(o, "children"), Int(o, "spawns"))
        { Budget = Field(o, "budget").ValueKind == JsonValueKind.Null ? null : Long(o, "budget") };
    }

    private static ThreadCallRecord Call(JsonElement c)
    {
        var tokens = Tokens(c);
        if (c.ValueKind != JsonValueKind.Object) throw new FormatException("record field 'threads' must hold objects");
        return new ThreadCallRecord(Str(c, "thread")!, Str(c, "parent"), Int(c, "call"), Int(c, "level"), Str(c, "node")!,
            c.TryGetProperty("prompt", out _) ? Str(c, "prompt") ?? "" : "", c.TryGetProperty("completion", out _) ? Str(c, "completion") ?? "" : "",
            Int(c, "prompt_tokens"), Int(c, "shared_prefix_tokens"), Int(c, "reused_cache_tokens"), tokens, Outcome(c), Str(c, "detail"),
            Long(c, "start_step"), Long(c, "end_step"), Double(c, "start_ms"), Double(c, "end_ms"), Int(c, "forwards"))
        { SpawnedChildren = c.TryGetProperty("children", out _) ? Int(c, "children") : 0 };
    }

    /// <summary>
    /// Each call that ended in an admitted spawn (outcome Spawned) started its thread's child threads whose first
    /// call began from its end step up to (not including) the start of the thread's next call: the runtime starts
    /// a spawn's children at the step it ends and resumes the parent only after they all end.
    /// </summary>
    private static ThreadCallRecord[] InferChildren(ThreadCallRecord[] calls)
    {
        var result = (ThreadCallRecord[])calls.Clone();
        foreach (var thread in calls.Select((c, i) => (Call: c, Index: i)).GroupBy(x => x.Call.Thread))
        {
            var own = thread.OrderBy(x => x.Call.Call).ToList();
            var firstCalls = calls.Where(c => c.Parent == thread.Key && c.Call == 0).ToList();
            for (int k = 0; k < own.Count; k++)
            {
                if (own[k].Call.Outcome != ThreadOutcome.Spawned) continue;
                long from = own[k].Call.EndStep, to = k + 1 < own.Count ? own[k + 1].Call.StartStep : long.MaxValue;
                result[own[k].Index] = own[k].Call with { SpawnedChildren = firstCalls.Count(c => c.StartStep >= from && c.StartStep < to) };
            }
        }
        return result;
    }

    private static ThreadToken[] Tokens(JsonElement c)
    {
        if (c.TryGetProperty("token_ids", out var ids))
        {
            var sources = Str(c, "token_sources") ?? "";
            var logProbs = Array(c, "token_logprobs").Select(l => (float)Number(l, "token_logprobs")).ToArray();
            var idList = Array(c, "token_ids").Select(id => Integer(id, "token_ids") is var v && v is >= 0 and <= int.MaxValue ? (int)v : throw new FormatException($"record field 'token_ids' holds {v}, not a token id")).ToArray();
            if (idList.Length != sources.Length || idList.Length != logProbs.Length) throw new FormatException("a call's token_ids, token_sources and token_logprobs differ in length");
            return [.. idList.Select((id, i) => new ThreadToken(id, sources[i] == 's' ? TokenSource.Sampled : TokenSource.Inserted, logProbs[i]))];
        }
        int sampled = Int(c, "sampled_tokens"), total = Int(c, "completion_tokens");
        if (sampled < 0 || sampled > total) throw new FormatException($"a call's sampled_tokens {sampled} is not within its completion_tokens {total}");
        return [.. Enumerable.Range(0, total).Select(i => new ThreadToken(-1, i < sampled ? TokenSource.Sampled : TokenSource.Inserted, 0f))];
    }

    private static ThreadOutcome Outcome(JsonElement o) =>
        Outcomes.TryGetValue(Str(o, "outcome")!, out var outcome) ? outcome : throw new FormatException($"record field 'outcome' is \"{Str(o, "outcome")}\", not a known outcome");

    private static JsonElement Field(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) ? v : throw new FormatException($"record field '{name}' is missing");

    private static string? Str(JsonElement o, string name) => Field(o, name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Null } => null,
        _ => throw new FormatException($"record field '{name}' must be a string"),
    };

    private static long Long(JsonElement o, string name) => Integer(Field(o, name), name);

    private static long Integer(JsonElement n, string name) =>
        n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var v) ? v : throw new FormatException($"record field '{name}' must hold integers");

    private static double Double(JsonElement o, string name) => Number(Field(o, name), name);

    private static double Number(JsonElement n, string name) =>
        n.ValueKind == JsonValueKind.Number ? n.GetDouble() : throw new FormatException($"record field '{name}' must hold numbers");

    private static bool Bool(JsonElement o, string name) => Field(o, name).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"record field '{name}' must be true or false"),
    };

    private static IEnumerable<JsonElement> Array(JsonElement o, string name) =>
        Field(o, name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : throw new FormatException($"record field '{name}' must be an array");

    private static int Int(JsonElement o, string name) =>
        Long(o, name) is var v && v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new FormatException($"record field '{name}' is out of range: {v}");
}
