// StatsCommand: `apr data stats FILE`: counts, tokens per call (p50, p95, max), calls, spawns and
// children per problem, the share of problems whose longest call exceeds each context, characters
// per token, and the share of completion tokens the model chooses under guided decoding.
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Apr.Core;
using Apr.Data;
using Apr.Tokenization;

namespace Apr.Cli;

internal static class StatsCommand
{
    public static Command Create()
    {
        var file = Options.ExistingFileArgument("file", "traces JSONL (apr's format or the Python reference's)");
        var contexts = new Option<int[]>("--context")
        {
            Description = "context windows in tokens to test the longest call against (repeat or comma-separate)",
            DefaultValueFactory = _ => [512, 1024, 2048, 4096],
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r =>
            {
                var values = new List<int>();
                foreach (var token in r.Tokens)
                {
                    foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
                        {
                            r.AddError($"--context takes positive token counts, got '{part}'");
                            return [];
                        }
                        values.Add(v);
                    }
                }
                return [.. values];
            },
        };
        var noGrammar = new Option<bool>("--no-grammar") { Description = "skip the chosen-token share (the grammar replay is the slow part)" };
        var json = new Option<FileInfo?>("--json") { Description = "also write the summary as JSON to this file" };
        var depth = Options.Int("--depth", "apr nesting depth allowed to records that do not say theirs (a record's own 'depth' field is always allowed; as `data validate --depth`)", 1, 1, 5);
        var cmd = new Command("stats", "Measure a traces file in tokens.") { file, contexts, noGrammar, json, depth };
        cmd.SetAction(r =>
        {
            var path = r.GetValue(file)!.FullName;
            if (r.GetValue(json) is { } jsonOut) Options.NotAnInput("--json", jsonOut.FullName, ("traces", path));
            var total = JsonLines.CountLines(path) ?? 0; // a pipe is read once: no total for the progress bar
            var stats = new TraceStats(TraceTokenizer.Default, r.GetValue(contexts)!, markChosen: !r.GetValue(noGrammar), aprMaxDepth: r.GetValue(depth));
            Progress.Run("measuring", total, r.InvocationConfiguration.Error, report =>
            {
                var n = 0;
                foreach (var record in TraceFile.Read(path))
                {
                    stats.Add(record);
                    if (++n % 100 == 0) report(n);
                }
                return n;
            });
            var s = stats.Summary();
            Render(r.InvocationConfiguration.Output, path, s, !r.GetValue(noGrammar));
            if (r.GetValue(json) is { } jsonFile) AtomicFile.WriteAllText(jsonFile.FullName, JsonSerializer.Serialize(s, Json.Serializer));
            return 0;
        });
        return cmd;
    }

    private static void Render(TextWriter o, string path, TraceStatsSummary s, bool grammar)
    {
        static string P(Percentiles p) => $"mean {p.Mean,8:F1}   p50 {p.P50,7:F0}   p95 {p.P95,7:F0}   max {p.Max,7:F0}";
        o.WriteLine($"{path}");
        o.WriteLine($"  problems               {s.Problems} ({string.Join(", ", s.Methods.Select(m => $"{m.Value} {m.Key}"))}); " + (s.Solved is { } solved
            ? $"solved {solved} ({100.0 * solved / Math.Max(1, s.Problems):F1}%, replayed and verified); invalid {s.Invalid}{(s.Invalid > 0 ? " (apr data validate lists them)" : "")}"
            : "solved: not checked (--no-grammar skips the replay)"));
        o.WriteLine($"  tokens per call        {P(s.TokensPerCall)}");
        o.WriteLine($"  longest call (tokens)  {P(s.LongestCallTokens)}");
        o.WriteLine($"  total tokens/problem   {P(s.TotalTokensPerProblem)}");
        o.WriteLine($"  calls per problem      {P(s.CallsPerProblem)}");
        o.WriteLine($"  spawns per problem     {P(s.SpawnsPerProblem)}");
        o.WriteLine($"  children per problem   {P(s.ChildrenPerProblem)}");
        foreach (var (context, share) in s.ExceedsContext.OrderBy(e => e.Key))
            o.WriteLine($"  longest call > {context,5}  {100 * share,5:F1}% of problems");
        o.WriteLine($"  characters per token   {s.CharsPerToken:F2}");
        if (grammar)
        {
            o.WriteLine($"  chosen tokens          {100 * s.ChosenShare:F1}% of {s.CompletionTokens} completion tokens (the rest the grammar forces)");
            if (s.GrammarFailures > 0) o.WriteLine($"  grammar failures       {s.GrammarFailures} calls left the grammar (run 'apr data validate')");
        }
    }
}
