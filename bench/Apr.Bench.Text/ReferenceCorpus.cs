// ReferenceCorpus: the Python reference's 50 SoS+ and 50 APR samples (shared/reference-samples beside the
// repository, or the folder given) as trace trees, plus every call's completion text.
using System.Text.Json;
using Apr.Protocol;

namespace Apr.Bench.Text;

internal sealed record ReferenceCorpus(IReadOnlyList<TraceTree> Sos, IReadOnlyList<TraceTree> Apr)
{
    /// <summary>Every SoS+ search path and every APR call's completion (parents and children).</summary>
    public IEnumerable<string> Texts => Sos.Concat(Apr).SelectMany(t => t.Calls).Select(c => c.Completion);

    public static ReferenceCorpus Load(string folder) => new(
        [.. Lines(folder, "sosp.jsonl").Select(r => ReferenceConverter.FromSearchPath(r.GetProperty("search_path").GetString()!))],
        [.. Lines(folder, "apr.jsonl").Select(r => ReferenceConverter.FromTraceDict(Dict(r.GetProperty("trace_dict"))))]);

    /// <summary>shared/reference-samples in the nearest folder above the working directory that has one.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference-samples");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"no shared/reference-samples above {Directory.GetCurrentDirectory()}; pass --samples DIR");
    }

    private static IEnumerable<JsonElement> Lines(string folder, string file) =>
        File.ReadLines(Path.Combine(folder, file)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement);

    private static ReferenceTraceDict Dict(JsonElement e) => new(
        [.. e.GetProperty("main_calls").EnumerateArray().Select(x => x.GetString()!)],
        [.. e.GetProperty("sub_calls").EnumerateArray().Select(spawn => (IReadOnlyList<ReferenceTraceDict>)[.. spawn.EnumerateArray().Select(Dict)])]);
}
