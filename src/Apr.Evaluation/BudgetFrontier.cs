// BudgetFrontier: the budget sweep read as one line per policy: accuracy under each total-token cap and
// each sequential-token cap, and the targets of the budget issue checked on it.
//   - a condition run once (a no-model policy, a model not told its budget, the symbolic solver) is read
//     at every cap off its records (ConditionSummary.TotalCurve / SequentialCurve);
//   - a model told its budget runs once per cap: at total cap B its line is the run capped at B; at a
//     sequential cap it is the best of its runs (the user picks the budget; said in the report);
//   - SoS+ cons@k: at cap B, cons@k for the largest k whose mean total tokens (k samples) fit B.
// Learned policies are the models; everything else does not learn. It runs nothing; EvalReport writes it.
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Evaluation;

/// <summary>One policy's accuracy at each cap (null: not measured there).</summary>
public sealed record FrontierLine(string Name, string Label, SearchMethod Method, EvalPolicy Policy, bool Learned, bool ToldBudget,
    IReadOnlyList<double?> AtTotal, IReadOnlyList<double?> AtSequential);

public static class BudgetFrontier
{
    /// <summary>The frontier lines of the budget sweep's conditions (empty when it did not run).</summary>
    public static List<FrontierLine> Lines(IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, IReadOnlyList<int> totalCaps, IReadOnlyList<int> sequentialCaps)
    {
        ArgumentNullException.ThrowIfNull(results);
        var budget = results.Where(r => r.Sweeps.HasFlag(EvalSweeps.Budget)).Select(r => r.Summary).ToList();
        var lines = new List<FrontierLine>();
        foreach (var group in budget.GroupBy(s => (s.Condition.Method, s.Condition.Policy, s.Condition.Tree, Told: s.Condition.TokenBudget is not null, Multi: s.Condition.Samples > 1)))
        {
            var runs = group.ToList();
            var first = runs[0].Condition;
            string name = $"{first.MethodName}-{first.PolicyName}{(group.Key.Told ? "-told" : "")}{(group.Key.Multi ? "-cons" : "")}";
            double?[] total, sequential;
            if (group.Key.Multi)
            {
                var s = runs[0];
                total = totalCaps.Select(c => s.AtK.LastOrDefault(a => a.MeanTotalTokens <= c) is { } a ? a.ConsAtK : (double?)0).ToArray();
                sequential = sequentialCaps.Select(_ => (double?)null).ToArray();
            }
            else if (group.Key.Told)
            {
                total = totalCaps.Select(c => runs.FirstOrDefault(r => r.Condition.Budget == c) is { } r ? Read(r.TotalCurve, c) : null).ToArray();
                sequential = sequentialCaps.Select(c => runs.Select(r => Read(r.SequentialCurve, c)).Max()).ToArray();
            }
            else
            {
                var s = runs[^1];
                total = totalCaps.Select(c => s.Condition.Budget is { } b && b < c ? null : Read(s.TotalCurve, c)).ToArray();
                sequential = sequentialCaps.Select(c => Read(s.SequentialCurve, c)).ToArray();
            }
            string label = group.Key.Multi ? first.Label : group.Key.Told ? $"{first.Method.Label()} model, told its budget" : first.Label;
            lines.Add(new FrontierLine(name, label, first.Method, first.Policy, first.Learned, group.Key.Told, total, sequential));
        }
        return lines;
    }

    private static double? Read(IReadOnlyList<CapPoint> curve, int cap) => curve.FirstOrDefault(p => p.Cap == cap)?.Accuracy;

    /// <summary>
    /// The budget issue's targets: the budget-aware APR model (else the APR model) at least as accurate as
    /// every other policy at each total cap from 2k and each sequential cap; the accuracy goals; the gap to
    /// the symbolic APR solver at 4k and 8k; no record over its budget.
    /// </summary>
    public static List<TargetCheck> Targets(IReadOnlyList<FrontierLine> lines, IReadOnlyList<int> totalCaps, IReadOnlyList<int> sequentialCaps, int overBudget)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var checks = new List<TargetCheck>();
        // The targets are the APR model's: a ranked tree (learned ranking, fixed shape) is one of the others.
        var apr = lines.FirstOrDefault(l => l.Method == SearchMethod.Apr && l.Policy == EvalPolicy.Model && l.ToldBudget) ?? lines.FirstOrDefault(l => l.Method == SearchMethod.Apr && l.Policy == EvalPolicy.Model && !l.Name.EndsWith("-cons", StringComparison.Ordinal));
        if (apr is not null)
        {
            var others = lines.Where(l => l != apr).ToList();
            checks.Add(AtLeast(apr, others, totalCaps, l => l.AtTotal, "total", c => c >= 2000));
            if (sequentialCaps.Count > 0) checks.Add(AtLeast(apr, others, sequentialCaps, l => l.AtSequential, "sequential", _ => true));
            (int Cap, double Goal)[] goals = [(2000, 0.55), (4000, 0.70), (8000, 0.85), (16000, 0.95)];
            foreach (var (cap, goal) in goals)
            {
                int i = IndexOf(totalCaps, cap);
                if (i < 0 || apr.AtTotal[i] is not { } a) continue;
                checks.Add(new($"goal: {apr.Label} >= {EvalTargets.P(goal)} at {cap:#,0} total tokens", $"{EvalTargets.P(a)} ({100 * (a - goal):+0.0;-0.0} points)", a >= goal));
            }
            var symbolic = lines.FirstOrDefault(l => l.Method == SearchMethod.Apr && l.Policy == EvalPolicy.Symbolic && l.Name == "apr-symbolic");
            foreach (var cap in new[] { 4000, 8000 })
            {
                int i = IndexOf(totalCaps, cap);
                if (symbolic is null || i < 0 || apr.AtTotal[i] is not { } a || symbolic.AtTotal[i] is not { } s) continue;
                checks.Add(new($"goal: {apr.Label} >= symbolic APR solver + 10 points at {cap:#,0} total tokens", $"{EvalTargets.P(a)} vs {EvalTargets.P(s)} ({100 * (a - s):+0.0;-0.0} points)", a - s >= 0.10));
            }
        }
        checks.Add(new("budgets kept: no record holds more tokens than its budget", $"{overBudget} record(s) over their budget", overBudget == 0));
        return checks;
    }

    private static TargetCheck AtLeast(FrontierLine apr, List<FrontierLine> others, IReadOnlyList<int> caps, Func<FrontierLine, IReadOnlyList<double?>> at, string kind, Func<int, bool> counts)
    {
        var parts = new List<string>();
        bool met = true;
        for (int i = 0; i < caps.Count; i++)
        {
            if (at(apr)[i] is not { } a) continue;
            var best = others.Where(o => at(o)[i] is not null).OrderByDescending(o => at(o)[i]).FirstOrDefault();
            if (best is null) continue;
            double b = at(best)[i]!.Value;
            bool ok = a >= b;
            if (counts(caps[i])) met &= ok;
            parts.Add($"{caps[i]:#,0}: {EvalTargets.P(a)} vs {best.Label} {EvalTargets.P(b)}{(ok ? "" : " (below)")}{(counts(caps[i]) ? "" : " (reported only)")}");
        }
        return new($"{apr.Label} >= every other policy at each {kind}-token cap", string.Join("; ", parts), parts.Count == 0 ? null : met);
    }

    private static int IndexOf(IReadOnlyList<int> caps, int cap)
    {
        for (int i = 0; i < caps.Count; i++) if (caps[i] == cap) return i;
        return -1;
    }
}
