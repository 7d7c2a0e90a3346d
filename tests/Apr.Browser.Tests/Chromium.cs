// Chromium: Playwright driving the system's headless Chromium (Debian's `chromium` package; Playwright's
// own browser downloads are not used). The browser is found at $APR_CHROMIUM, /usr/lib/chromium/chromium
// or /usr/bin/chromium. When none is there and the tests run as root on Debian (CI, a fresh machine), it
// is installed once with apt-get, so the README's `dotnet test Apr.slnx` passes on a fresh machine; when
// that cannot be done the tests fail and say how to install it (never a skip).
// Screenshots go to artifacts/ beside the tests; with APR_UPDATE_SCREENSHOTS=1 also to docs/ (the README's).
using Apr.Testing;
using Microsoft.Playwright;

namespace Apr.Browser.Tests;

internal static class Chromium
{
    private static readonly string?[] Candidates = [Environment.GetEnvironmentVariable("APR_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private static readonly Lazy<string> Path_ = new(Find);

    public static string ExecutablePath => Path_.Value;

    private static string? Existing() => Candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    private static string Find()
    {
        if (Existing() is { } found) return found;
        string why = Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get") ? "not root with apt-get, so it cannot be installed here" : Install();
        return Existing() ?? throw new InvalidOperationException(
            $"Chromium not found (tried $APR_CHROMIUM, /usr/lib/chromium/chromium, /usr/bin/chromium; {why}): install it with 'apt-get install -y chromium' (bash .ci/run does)");
    }

    /// <summary>apt-get update and install chromium; returns what went wrong, if anything.</summary>
    private static string Install()
    {
        foreach (var args in new[] { "update -qq", "install -y -qq chromium" })
        {
            var start = new System.Diagnostics.ProcessStartInfo("apt-get", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var apt = System.Diagnostics.Process.Start(start)!;
            var err = apt.StandardError.ReadToEndAsync();
            apt.StandardOutput.ReadToEnd();
            if (!apt.WaitForExit(TimeSpan.FromMinutes(10)) || apt.ExitCode != 0) return $"'apt-get {args}' failed: {err.Result.Trim()}";
        }
        return "apt-get install chromium ran";
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true });
        return (playwright, browser);
    }

    /// <summary>Saves a full-page screenshot as artifacts/<paramref name="name"/> (and docs/viewer/ when asked); returns the artifact's path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("APR_UPDATE_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(TestPaths.RepoRoot, "docs", "viewer");
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name), overwrite: true);
        }
        return path;
    }
}
