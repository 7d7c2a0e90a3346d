// ViewAssets: the web files of the thread view (web/: view.css and view.js, shared; live.html and live.js,
// the page `apr serve` answers at /; offline.html and offline.js, the file `apr view` writes), embedded in
// this assembly so the server and the offline file need nothing from the network or the disk.
using System.Reflection;

namespace Apr.Viewing;

public static class ViewAssets
{
    /// <summary>The files the server serves under /view/ (and live.html at /), with their content types.</summary>
    public static IReadOnlyDictionary<string, string> Served { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["live.html"] = "text/html; charset=utf-8",
        ["view.css"] = "text/css; charset=utf-8",
        ["view.js"] = "text/javascript; charset=utf-8",
        ["live.js"] = "text/javascript; charset=utf-8",
    };

    /// <summary>The text of web/<paramref name="name"/>.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ViewAssets).Assembly.GetManifestResourceStream("web/" + name)
            ?? throw new FileNotFoundException($"web asset '{name}' is not embedded in {typeof(ViewAssets).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Every embedded web file's name.</summary>
    public static IEnumerable<string> Names =>
        typeof(ViewAssets).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("web/", StringComparison.Ordinal)).Select(n => n["web/".Length..]);
}
