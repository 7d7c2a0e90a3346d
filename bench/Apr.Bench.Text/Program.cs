// Apr.Bench.Text: speed of the trace-text code on the reference samples, one thread: tokenizer encode and
// decode (MB/s of trace text), the protocol validator (trees/s, lines/s) and the grammar replay that marks
// sampled vs forced characters (calls/s, lines/s). These figures used to be printed by tests; tests now
// only check behaviour. Each figure is the best of 5 rounds after a warm-up. No assertions here.
// Writes JSON (default bench/results/text.json).
// Usage: dotnet run -c Release --project bench/Apr.Bench.Text [-- --samples DIR] [--out FILE]
using System.Diagnostics;
using System.Text.Json;
using Apr.Bench.Text;
using Apr.Protocol;
using Apr.Tokenization;

string Arg(string name, Func<string> fallback) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : fallback();
var samples = Arg("--samples", ReferenceCorpus.Find);
var output = Arg("--out", () => "bench/results/text.json");
const int Rounds = 5;

var corpus = ReferenceCorpus.Load(samples);
var trees = corpus.Sos.Concat(corpus.Apr).ToList();
var calls = trees.Sum(t => t.Calls.Count);
var lines = trees.Sum(t => t.Calls.Sum(c => c.Completion.Count(ch => ch == '\n')));
var text = string.Concat(Enumerable.Repeat(string.Concat(corpus.Texts), 6)); // a few MB of ASCII trace text
var tokenizer = TraceTokenizer.Default;

var ids = new List<int>(text.Length / 3);
var encode = Best(() => { ids.Clear(); tokenizer.Encode(text, ids); });
var idArray = ids.ToArray();
var decode = Best(() => tokenizer.Decode(idArray));
var validate = Best(() => { foreach (var t in trees) TraceValidator.Validate(t); });
var markSos = Best(() => { foreach (var t in corpus.Sos) GrammarReplay.Mark(t.Calls[0].Prompt, t.Calls[0].Completion, GrammarSettings.SosPlus); });
var markApr = Best(() =>
{
    foreach (var t in corpus.Apr)
        foreach (var c in t.Calls)
            GrammarReplay.Mark(c.Prompt, c.Completion, GrammarSettings.AprRoot with { Level = c.Thread.Count(ch => ch == '.') });
});

var figures = new Dictionary<string, double>
{
    ["encode_mb_per_s"] = text.Length / encode / 1e6,
    ["decode_mb_per_s"] = text.Length / decode / 1e6,
    ["chars_per_token"] = (double)text.Length / idArray.Length,
    ["validate_trees_per_s"] = trees.Count / validate,
    ["validate_lines_per_s"] = lines / validate,
    ["mark_calls_per_s"] = calls / (markSos + markApr),
    ["mark_lines_per_s"] = lines / (markSos + markApr),
    ["mark_sosp_traces_per_s"] = corpus.Sos.Count / markSos,
};
Console.WriteLine($"{trees.Count} reference trees, {calls} calls, {lines} completion lines; tokenizer on {text.Length / 1e6:F1} MB; best of {Rounds}, one thread");
foreach (var (name, value) in figures) Console.WriteLine($"{name,-24} {value,14:N1}");

var json = new Dictionary<string, object>
{
    ["format_version"] = 1,
    ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    ["cores"] = Environment.ProcessorCount,
    ["rounds"] = Rounds,
    ["trees"] = trees.Count, ["calls"] = calls, ["lines"] = lines, ["tokenizer_chars"] = text.Length,
    ["figures"] = figures,
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {output}");

// Seconds of the fastest of Rounds runs, after one untimed warm-up run.
static double Best(Action run)
{
    run();
    var best = double.MaxValue;
    for (var r = 0; r < Rounds; r++)
    {
        var sw = Stopwatch.StartNew();
        run();
        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }
    return best;
}
