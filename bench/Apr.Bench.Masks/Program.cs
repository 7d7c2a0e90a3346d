// Apr.Bench.Masks: which SFT loss mask trains the better searcher under guided decoding (issue 3)?
// Evaluates model directories (e.g. runs trained with `apr train --loss-on completion|all|chosen` on the
// same data, seed and steps) and the no-model random-choice policy on one problems file, greedy,
// guided, with the same guards, each through an InferenceSession as the verbs run them; prints accuracy
// and tokens, and writes JSON.
//
// Usage: Apr.Bench.Masks --problems FILE --method sosp|apr --out FILE.json NAME=DIR [NAME=DIR ...]
using System.Diagnostics;
using System.Text.Json;
using Apr.Data;
using Apr.Inference;
using Apr.Protocol;
using Apr.Tokenization;

var argsList = args.ToList();
string Take(string name, string fallback)
{
    var i = argsList.IndexOf(name);
    if (i < 0) return fallback;
    var v = argsList[i + 1];
    argsList.RemoveRange(i, 2);
    return v;
}
var problemsPath = Take("--problems", "runs/masks/val-problems.jsonl");
var method = Take("--method", "sosp") == "apr" ? SearchMethod.Apr : SearchMethod.SosPlus;
var outPath = Take("--out", "bench/results/masks.json");
var threads = int.Parse(Take("--threads", "2"), System.Globalization.CultureInfo.InvariantCulture);
var context = int.Parse(Take("--context", InferenceDefaults.ContextPerThread.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
var problems = ProblemFile.Read(problemsPath);
var items = problems.Select((p, i) => new SolveItem(p, (ulong)i)).ToList();

var rows = new List<Dictionary<string, object>>();
void Report(string name, IReadOnlyList<ProblemRecord> records, double seconds)
{
    var correct = records.Count(r => r.Correct);
    var row = new Dictionary<string, object>
    {
        ["name"] = name,
        ["problems"] = records.Count,
        ["accuracy"] = (double)correct / records.Count,
        ["mean_total_tokens"] = records.Average(r => r.TotalTokens),
        ["mean_sampled_tokens"] = records.Average(r => r.SampledTokens),
        ["gave_up_or_limit"] = records.Count(r => r.Answer is null),
        ["seconds"] = seconds,
    };
    rows.Add(row);
    Console.WriteLine($"{name,-12} accuracy {100.0 * correct / records.Count,5:F1}%   total tokens {row["mean_total_tokens"],8:F0}   sampled {row["mean_sampled_tokens"],6:F0}   {seconds,6:F0} s");
}

var guards = GuardOptions.Default with { ContextPerThread = context };
var sw = Stopwatch.StartNew();
using (var noModel = InferenceSession.NoModel(new SessionOptions(threads, 64, context)))
    Report("random", noModel.Runtime(new SolveOptions(method, true, ChoicePolicy.Uniform, null, guards)).Solve(items), sw.Elapsed.TotalSeconds);
foreach (var spec in argsList)
{
    var eq = spec.IndexOf('=');
    var (name, dir) = eq < 0 ? (Path.GetFileName(spec), spec) : (spec[..eq], spec[(eq + 1)..]);
    using var session = InferenceSession.Load(dir, new SessionOptions(threads, method == SearchMethod.Apr ? 64 : 32, context));
    sw.Restart();
    Report(name, session.Runtime(new SolveOptions(method, true, ChoicePolicy.Model, null, guards)).Solve(items), sw.Elapsed.TotalSeconds);
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
File.WriteAllText(outPath, JsonSerializer.Serialize(new { problems = problemsPath, method = method.ToString(), context, rows }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {outPath}");
