// BenchPaths: where the reference samples are (shared/reference-samples, a sibling of the repository, as
// the tests find it; APR_REFERENCE_SAMPLES overrides it). Found by walking up from the executable.
namespace Apr.Bench.HfCheck;

internal static class BenchPaths
{
    /// <summary>The reference-samples folder.</summary>
    public static string ReferenceSamples
    {
        get
        {
            if (Environment.GetEnvironmentVariable("APR_REFERENCE_SAMPLES") is { Length: > 0 } env) return env;
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "shared", "reference-samples");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException($"no shared/reference-samples above {AppContext.BaseDirectory} (set APR_REFERENCE_SAMPLES)");
        }
    }
}
