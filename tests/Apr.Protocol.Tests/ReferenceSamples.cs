// ReferenceSamples: loads the reference samples (located by Apr.Testing.TestPaths) into trace trees,
// doing the JSON here so the library stays JSON-free.
using System.Text.Json;
using Apr.Protocol;

namespace Apr.Protocol.Tests;

public sealed record ReferenceSample(int Index, long Target, long[] Nums, bool Solved, TraceTree Tree);

public static class ReferenceSamples
{
    private static readonly Lazy<IReadOnlyList<ReferenceSample>> SosPlus = new(() => Load("sosp.jsonl", apr: false));
    private static readonly Lazy<IReadOnlyList<ReferenceSample>> AprTrees = new(() => Load("apr.jsonl", apr: true));

    public static IReadOnlyList<ReferenceSample> Sos => SosPlus.Value;
    public static IReadOnlyList<ReferenceSample> Apr => AprTrees.Value;

    private static IReadOnlyList<ReferenceSample> Load(string file, bool apr)
    {
        var list = new List<ReferenceSample>();
        var index = 0;
        foreach (var line in File.ReadLines(Path.Combine(global::Apr.Testing.TestPaths.ReferenceSamples, file)))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var target = r.GetProperty("target").GetInt64();
            var nums = r.GetProperty("nums").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var solved = r.GetProperty("rating").GetDouble() > 0;
            var tree = apr
                ? ReferenceConverter.FromTraceDict(Dict(r.GetProperty("trace_dict")))
                : ReferenceConverter.FromSearchPath(r.GetProperty("search_path").GetString()!);
            list.Add(new ReferenceSample(index++, target, nums, solved, tree));
        }
        return list;
    }

    private static ReferenceTraceDict Dict(JsonElement e) => new(
        [.. e.GetProperty("main_calls").EnumerateArray().Select(x => x.GetString()!)],
        [.. e.GetProperty("sub_calls").EnumerateArray().Select(spawn => (IReadOnlyList<ReferenceTraceDict>)[.. spawn.EnumerateArray().Select(Dict)])]);
}
