// ReferenceTraces: reads the Python reference generator's trace records (reference-samples format):
// `search_path` (one SoS+ trace) or `trace_dict` ({"main_calls": [...], "sub_calls": [[child dicts]]}),
// and `rating` (> 0 when the solver solved the problem). The JSON is read here; turning the texts
// into calls is the protocol library's ReferenceConverter, so prompts are cut by one rule everywhere.
using System.Text.Json;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Data;

public static class ReferenceTraces
{
    public static TraceRecord FromSearchPath(JsonElement pathEl, CountdownProblem p, string where)
    {
        if (pathEl.ValueKind != JsonValueKind.String) throw new DataException($"{where}: 'search_path' must be a string");
        var tree = Convert(() => ReferenceConverter.FromSearchPath(pathEl.GetString()!), where);
        return Record(p, tree);
    }

    public static TraceRecord FromTraceDict(JsonElement dictEl, CountdownProblem p, string where)
    {
        var dict = ReadDict(dictEl, where, "trace_dict");
        var tree = Convert(() => ReferenceConverter.FromTraceDict(dict), where);
        return Record(p, tree);
    }

    private static TraceRecord Record(CountdownProblem p, TraceTree tree)
    {
        // The reference's own `rating` is not trusted (its SoS+ check is lax): the validator replays
        // the tree and the strict verifier judges the answer.
        var check = TraceValidator.Validate(tree);
        var ops = check.Answer?.Select(o => o.ToString()).ToList() ?? [];
        return new TraceRecord(p.Id, p.Target, p.Nums, tree.Method, check.Solved, ops, tree.Calls);
    }

    private static TraceTree Convert(Func<TraceTree> convert, string where)
    {
        try { return convert(); }
        catch (ProtocolException e) { throw new DataException($"{where}: {e.Message}"); }
    }

    private static ReferenceTraceDict ReadDict(JsonElement el, string where, string path)
    {
        if (el.ValueKind != JsonValueKind.Object) throw new DataException($"{where}: '{path}' must be an object");
        if (!el.TryGetProperty("main_calls", out var mainEl) || mainEl.ValueKind != JsonValueKind.Array)
            throw new DataException($"{where}: '{path}.main_calls' must be an array of strings");
        var main = new List<string>();
        foreach (var m in mainEl.EnumerateArray())
            main.Add(m.ValueKind == JsonValueKind.String ? m.GetString()! : throw new DataException($"{where}: '{path}.main_calls' must hold strings"));
        var subs = new List<IReadOnlyList<ReferenceTraceDict>>();
        if (el.TryGetProperty("sub_calls", out var subEl))
        {
            if (subEl.ValueKind != JsonValueKind.Array) throw new DataException($"{where}: '{path}.sub_calls' must be an array");
            var k = 0;
            foreach (var spawn in subEl.EnumerateArray())
            {
                if (spawn.ValueKind != JsonValueKind.Array) throw new DataException($"{where}: '{path}.sub_calls[{k}]' must be an array");
                var children = new List<ReferenceTraceDict>();
                var c = 0;
                foreach (var child in spawn.EnumerateArray()) children.Add(ReadDict(child, where, $"{path}.sub_calls[{k}][{c++}]"));
                subs.Add(children);
                k++;
            }
        }
        return new ReferenceTraceDict(main, subs);
    }
}
