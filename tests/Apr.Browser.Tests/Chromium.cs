// Chromium: Playwright driving the system's headless Chromium (Debian's `chromium` package; Playwright's
// own browser downloads are not used). The browser is found at $APR_CHROMIUM, /usr/lib/chromium/chromium
// or /usr/bin/chromium; when none is there the test fails and says how to install it (never a skip).
// Screenshots go to artifacts/ beside the tests; with APR_UPDATE_SCREENSHOTS=1 also to docs/ (the README's).
using Apr.Testing;
using Microsoft.Playwright;

namespace Apr.Browser.Tests;

internal static class Chromium
{
    public static string ExecutablePath
    {
        get
        {
            var candidates = new[] { Environment.GetEnvironmentVariable("APR_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser" };
            return candidates.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
                ?? throw new InvalidOperationException("Chromium not found (tried $APR_CHROMIUM, /usr/lib/chromium/chromium, /usr/bin/chromium): install it with 'apt-get install -y chromium' (bash .ci/run does)");
        }
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
