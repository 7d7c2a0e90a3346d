// ReferenceTraces: the Python reference's traces (shared/reference-samples beside the repository, found
// by Apr.Testing.TestPaths; APR_REFERENCE_SAMPLES overrides it): every SoS+ search_path, and every APR call (parent
// and child main_calls, recursively through sub_calls). Loaded once per test run.
//
// A missing folder fails the tests that need it, with the paths tried; it is never a silent skip.
using System.Text.Json;

namespace Apr.Tokenization.Tests;

internal static class ReferenceTraces
{
    private static readonly Lazy<(string[] Sos, string[] Apr)> Loaded = new(Load);

    public static IReadOnlyList<string> SosPlus => Loaded.Value.Sos;
    public static IReadOnlyList<string> AprCalls => Loaded.Value.Apr;
    public static IEnumerable<string> All => SosPlus.Concat(AprCalls);

    private static (string[], string[]) Load()
    {
        var folder = Apr.Testing.TestPaths.ReferenceSamples;
        var sosPath = Path.Combine(folder, "sosp.jsonl");
        var aprPath = Path.Combine(folder, "apr.jsonl");
        if (!File.Exists(sosPath) || !File.Exists(aprPath))
            throw new FileNotFoundException($"reference samples not found: {sosPath}, {aprPath} (set APR_REFERENCE_SAMPLES)");
        var sos = File.ReadLines(sosPath)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("search_path").GetString()!)
            .ToArray();
        var apr = new List<string>();
        foreach (var line in File.ReadLines(aprPath))
        {
            using var doc = JsonDocument.Parse(line);
            AddCalls(doc.RootElement.GetProperty("trace_dict"), apr);
        }
        if (sos.Length != 50 || apr.Count < 50) throw new InvalidDataException($"expected 50 SoS+ traces and >= 50 APR calls, got {sos.Length} and {apr.Count}");
        return (sos, [.. apr]);
    }

    private static void AddCalls(JsonElement traceDict, List<string> calls)
    {
        foreach (var call in traceDict.GetProperty("main_calls").EnumerateArray()) calls.Add(call.GetString()!);
        foreach (var spawn in traceDict.GetProperty("sub_calls").EnumerateArray())
            foreach (var child in spawn.EnumerateArray())
                AddCalls(child, calls);
    }
}
