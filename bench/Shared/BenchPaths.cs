// BenchPaths: where a benchmark writes its results (bench/results/ of the repository it runs from) and
// reads the reference samples (shared/reference-samples, a sibling of the repository, as the tests find
// it; APR_REFERENCE_SAMPLES overrides it). Found by walking up from the executable. One file, compiled
// into each benchmark that needs it (<Compile Include="../Shared/BenchPaths.cs" />): benchmarks reference
// src projects only, so there is no shared benchmark library to put it in.
namespace Apr.Bench;

internal static class BenchPaths
{
    /// <summary>The repository root (the folder holding Apr.slnx).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Apr.slnx"))) return d.FullName;
            throw new DirectoryNotFoundException($"no Apr.slnx above {AppContext.BaseDirectory}");
        }
    }

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
