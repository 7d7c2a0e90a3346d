// ViewPage: the one self-contained HTML file `apr view` writes: offline.html with view.css, the records (as
// ViewJson, inlined as JSON in a <script type="application/json">), view.js and offline.js filled in. It
// opens from disk with no request at all: nothing is linked, and its Content-Security-Policy forbids
// fetching. Escaping: the JSON is written with every HTML-significant character as a \u escape ('<', '>',
// '&', quotes), so no record text can close the script element; the title is HTML-encoded; the page's
// scripts put record strings into the DOM as text only. The placeholders are filled in one pass, so text
// that looks like a placeholder inside a record is left alone.
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apr.Core;
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Viewing;

public static partial class ViewPage
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Default, WriteIndented = false };

    /// <summary>The page for <paramref name="records"/> (each with its condition), titled <paramref name="title"/>.</summary>
    public static string Html(IReadOnlyList<(ProblemRecord Record, string Condition)> records, IReadOnlyList<string> sources, string title, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(title);
        var data = new JsonObject
        {
            ["format"] = 1,
            ["title"] = title,
            ["sources"] = new JsonArray([.. sources.Select(s => (JsonNode)s)]),
            ["records"] = new JsonArray([.. records.Select(r => (JsonNode)ViewJson.Record(r.Record, tokenizer, r.Condition))]),
        };
        var parts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TITLE"] = WebUtility.HtmlEncode(title),
            ["CSS"] = ViewAssets.Text("view.css"),
            ["DATA"] = data.ToJsonString(Json),
            ["VIEWJS"] = ViewAssets.Text("view.js"),
            ["OFFLINEJS"] = ViewAssets.Text("offline.js"),
        };
        return Placeholder().Replace(ViewAssets.Text("offline.html"), m => parts[m.Groups[1].Value]);
    }

    /// <summary>Reads <paramref name="inputs"/> and writes the page to <paramref name="output"/> atomically; returns the number of records.</summary>
    public static int Write(IReadOnlyList<string> inputs, string output, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var records = inputs.SelectMany(RecordFiles.Read).ToList();
        var names = inputs.Select(Path.GetFileName).ToList();
        var title = names.Count <= 2 ? string.Join(", ", names) : $"{names[0]} and {names.Count - 1} more files";
        AtomicFile.WriteAllText(output, Html(records, names!, title, tokenizer));
        return records.Count;
    }

    [GeneratedRegex(@"/\*APR:([A-Z]+)\*/")]
    private static partial Regex Placeholder();
}
