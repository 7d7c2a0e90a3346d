// EvalReport: the evaluation's written results: summary.json (EvalSummary: every condition's figures, the context
// curves, pass@k/cons@k, the target checks) and report.md (the same as tables, with the plots). Both
// are written atomically and rewritten after every condition, so an interrupted run keeps what it did.
using System.Globalization;
using System.Text;
using Apr.Core;
using Apr.Data;
using Apr.Protocol;

namespace Apr.Evaluation;

/// <summary>What the run was: for the report's header and the JSON's metadata; <see cref="Budgets"/> and <see cref="SequentialCaps"/> are the budget sweep's caps (empty: none).</summary>
public sealed record EvalRunInfo(string ProblemsFile, int Problems, IReadOnlyDictionary<string, string> Models, int Context, int ReferenceContext, ulong Seed, int Threads, string Command,
    IReadOnlyList<int>? Budgets = null, IReadOnlyList<int>? SequentialCaps = null, int Planned = 0, int Depth = 1);

public static class EvalReport
{
    public static EvalSummary Summary(EvalRunInfo info, IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, IReadOnlyList<TargetCheck> targets)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(results);
        var conditions = results.Select(r =>
        {
            var (s, sweeps) = r;
            var c = s.Condition;
            return new EvalSummaryCondition(
                c.Name, c.Label, c.MethodName, c.Policy.ToString().ToLowerInvariant(), c.Guided, c.Temperature, c.Samples, c.SubCallBudget, c.TokenBudget, c.OneAtATime,
                [.. Enum.GetValues<EvalSweeps>().Where(f => f is not (EvalSweeps.None or EvalSweeps.All) && sweeps.HasFlag(f)).Select(f => f.ToString().ToLowerInvariant())],
                s.Problems, R(s.Accuracy), R(s.AccuracyWithin(info.ReferenceContext)), R(s.MeanTotalTokens), R(s.MeanSampledTokens), R(s.MeanSequentialTokens),
                s.MeanLatencyMs is { } l ? R(l) : null, R(s.MeanChildren), R(s.MeanSpawns), R(s.MeanMaxCallTokens), s.Outcomes,
                [.. s.ContextCurve.Select(p => new EvalSummaryContextPoint(p.Context, R(p.Accuracy)))],
                [.. s.AtK.Select(a => new EvalSummaryAtK(a.K, R(a.PassAtK), R(a.ConsAtK), R(a.MeanTotalTokens)))],
                R(s.Seconds));
        }).ToList();
        var frontier = Frontier(info, results).Select(l => new EvalSummaryFrontier(
            l.Name, l.Label, l.Method.WireName(), l.Learned, l.ToldBudget,
            [.. l.AtTotal.Select(a => a is { } v ? R(v) : (double?)null)], [.. l.AtSequential.Select(a => a is { } v ? R(v) : (double?)null)])).ToList();
        return new EvalSummary(
            1, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), info.Command, info.ProblemsFile, info.Problems, info.Models,
            info.Context, info.ReferenceContext, info.Seed, info.Threads, info.Planned <= results.Count, conditions,
            info.Budgets ?? [], info.SequentialCaps ?? [], frontier, [.. targets.Select(t => new EvalSummaryTarget(t.Name, t.Finding, t.Met))], info.Depth != 1 ? info.Depth : null);
    }

    /// <summary>The budget sweep's frontier lines (empty when it did not run).</summary>
    public static List<FrontierLine> Frontier(EvalRunInfo info, IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results) =>
        BudgetFrontier.Lines(results, info.Budgets ?? [], info.SequentialCaps ?? []);

    /// <summary>Every target: the paper's comparisons and, when the budget sweep ran, the frontier's.</summary>
    public static List<TargetCheck> Targets(EvalRunInfo info, IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results)
    {
        var targets = EvalTargets.Check(results, info.ReferenceContext);
        var lines = Frontier(info, results);
        if (lines.Count > 0)
            targets.AddRange(BudgetFrontier.Targets(lines, info.Budgets ?? [], info.SequentialCaps ?? [], results.Sum(r => r.Summary.OverBudget)));
        return targets;
    }

    public static string ToMarkdown(EvalRunInfo info, IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, IReadOnlyList<TargetCheck> targets, IReadOnlyList<string> plots)
    {
        var md = new StringBuilder();
        md.AppendLine("# apr eval report").AppendLine();
        if (info.Planned > results.Count)
            md.AppendLine($"**Incomplete: {results.Count} of {info.Planned} planned conditions finished** (the run was interrupted or is still going; `apr eval ... --resume` continues it).").AppendLine();
        md.AppendLine($"`{info.Command}`").AppendLine();
        md.AppendLine($"Problems: {info.Problems} from `{info.ProblemsFile}`; models: {string.Join(", ", info.Models.Select(kv => $"{kv.Key} = `{kv.Value}`"))}; " +
                      $"context per thread {info.Context} tokens; {(info.Depth != 1 ? $"APR nesting depth {info.Depth} ({(info.Depth == 0 ? "no thread spawns" : "children may spawn")}); " : "")}reference context {info.ReferenceContext} tokens (about the paper's 4,096 Llama-2 tokens, 8,000 characters); seed {info.Seed}; {info.Threads} CPU thread(s).").AppendLine();
        if (targets.Count > 0)
        {
            md.AppendLine("## Targets").AppendLine();
            md.AppendLine("| target | finding | met |").AppendLine("| --- | --- | --- |");
            foreach (var t in targets) md.AppendLine($"| {t.Name} | {t.Finding} | {(t.Met switch { true => "yes", false => "**no**", _ => "-" })} |");
            md.AppendLine();
        }
        md.AppendLine("## Conditions").AppendLine();
        md.AppendLine($"| condition | problems | accuracy | at {info.ReferenceContext} tokens | total tokens | sampled | sequential | latency ms | children | spawns | seconds |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (s, _) in results)
            md.AppendLine($"| {s.Condition.Name} | {s.Problems} | {EvalTargets.P(s.Accuracy)} | {EvalTargets.P(s.AccuracyWithin(info.ReferenceContext))} | {EvalTargets.F0(s.MeanTotalTokens)} | {EvalTargets.F0(s.MeanSampledTokens)} | " +
                          $"{EvalTargets.F0(s.MeanSequentialTokens)} | {(s.MeanLatencyMs is { } l ? EvalTargets.F0(l) : "-")} | {s.MeanChildren:0.0} | {s.MeanSpawns:0.00} | {s.Seconds:0} |");
        md.AppendLine();
        var multi = results.Where(r => r.Summary.AtK.Count > 0).ToList();
        if (multi.Count > 0)
        {
            md.AppendLine("## pass@k and cons@k").AppendLine();
            foreach (var (s, _) in multi)
            {
                md.AppendLine($"{s.Condition.Label} ({s.Condition.Name}, {s.Problems} problems):").AppendLine();
                md.AppendLine("| k | mean total tokens | pass@k | cons@k |").AppendLine("| ---: | ---: | ---: | ---: |");
                foreach (var a in s.AtK) md.AppendLine($"| {a.K} | {EvalTargets.F0(a.MeanTotalTokens)} | {EvalTargets.P(a.PassAtK)} | {EvalTargets.P(a.ConsAtK)} |");
                md.AppendLine();
            }
        }
        var frontier = Frontier(info, results);
        if (frontier.Count > 0)
        {
            md.AppendLine("## Frontier: accuracy under a cap on tokens per problem").AppendLine();
            md.AppendLine("A problem counts under a cap when its verified answer came within the cap (and every thread within the context). " +
                          "Policies that do not read their budget ran once under the largest cap and are read at each cap; a model told its budget ran once per cap. " +
                          "At a sequential cap, a model told its budget shows its best budget. SoS+ cons@k: the largest k whose mean total tokens fit the cap. Learned policies in bold.").AppendLine();
            void Table(string title, IReadOnlyList<int> caps, Func<FrontierLine, IReadOnlyList<double?>> at)
            {
                md.AppendLine($"| policy \\ {title} <= | " + string.Join(" | ", caps.Select(c => c.ToString("#,0", CultureInfo.InvariantCulture))) + " |");
                md.AppendLine("| --- |" + string.Concat(caps.Select(_ => " ---: |")));
                foreach (var l in frontier.Where(l => at(l).Any(a => a is not null)))
                    md.AppendLine($"| {(l.Learned ? $"**{l.Label}**" : l.Label)} | " + string.Join(" | ", at(l).Select(a => a is { } v ? EvalTargets.P(v) : "-")) + " |");
                md.AppendLine();
            }
            Table("total tokens", info.Budgets ?? [], l => l.AtTotal);
            if ((info.SequentialCaps ?? []).Count > 0) Table("sequential tokens", info.SequentialCaps!, l => l.AtSequential);
        }
        var curves = results.Where(r => (r.Sweeps & (EvalSweeps.Greedy | EvalSweeps.Context)) != 0).Select(r => r.Summary).ToList();
        if (curves.Count > 0)
        {
            var points = curves[0].ContextCurve.Select(p => p.Context).Where((c, i) => i % Math.Max(1, curves[0].ContextCurve.Count / 8) == 0 || c == info.ReferenceContext || c == info.Context).Distinct().ToList();
            md.AppendLine("## Accuracy against the context limit").AppendLine();
            md.AppendLine("| condition | " + string.Join(" | ", points) + " |").AppendLine("| --- |" + string.Concat(points.Select(_ => " ---: |")));
            foreach (var s in curves)
                md.AppendLine($"| {s.Condition.Name} | " + string.Join(" | ", points.Select(c => EvalTargets.P(s.ContextCurve.First(p => p.Context == c).Accuracy))) + " |");
            md.AppendLine();
        }
        if (plots.Count > 0)
        {
            md.AppendLine("## Plots").AppendLine();
            foreach (var p in plots) md.AppendLine($"![{p}]({p})").AppendLine();
        }
        md.AppendLine("Per-problem records: `records/<condition>.jsonl` (one JSON object per sample, as `apr solve --json`).");
        return md.ToString();
    }

    public static void Write(string dir, EvalRunInfo info, IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, int referenceContext, bool plots)
    {
        var targets = Targets(info, results);
        var written = plots ? EvalPlots.Save(results, dir, referenceContext, Frontier(info, results), info) : [];
        var json = Summary(info, results, targets).ToJson();
        AtomicFile.Write(Path.Combine(dir, "summary.json"), s => s.Write(Encoding.UTF8.GetBytes(json + "\n")));
        var md = ToMarkdown(info, results, targets, written);
        AtomicFile.Write(Path.Combine(dir, "report.md"), s => s.Write(Encoding.UTF8.GetBytes(md)));
    }

    private static double R(double v) => Math.Round(v, 4);
}
