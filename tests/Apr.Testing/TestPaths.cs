// TestPaths: where tests find data that lives outside the repository.
//
// The reference samples live in `shared/reference-samples`, a sibling of the repository (on a
// developer machine /work/shared next to /work/main; on CI a copy of shared/ beside the clone).
// The folder is found by walking up from the test assembly's directory; APR_REFERENCE_SAMPLES
// overrides it.
namespace Apr.Testing;

public static class TestPaths
{
    /// <summary>The reference-samples folder; throws with every path tried when it cannot be found.</summary>
    public static string ReferenceSamples => LazySamples.Value;

    private static readonly Lazy<string> LazySamples = new(FindReferenceSamples);

    private static string FindReferenceSamples()
    {
        var tried = new List<string>();
        var env = Environment.GetEnvironmentVariable("APR_REFERENCE_SAMPLES");
        if (!string.IsNullOrEmpty(env))
        {
            if (Directory.Exists(env)) return env;
            tried.Add(env);
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference-samples");
            if (Directory.Exists(candidate)) return candidate;
            tried.Add(candidate);
        }
        throw new DirectoryNotFoundException($"reference samples not found; tried: {string.Join(", ", tried)} (set APR_REFERENCE_SAMPLES)");
    }

    /// <summary>The repository root (the folder holding Apr.slnx).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Apr.slnx"))) return dir.FullName;
            throw new DirectoryNotFoundException($"no Apr.slnx above {AppContext.BaseDirectory}");
        }
    }
}
