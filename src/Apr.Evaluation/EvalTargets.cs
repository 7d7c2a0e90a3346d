// EvalTargets: the paper's comparisons, read off the summaries where the sweeps that feed them ran: APR
// against SoS+ at the same context, at equal mean total tokens (SoS+ cons@k interpolated) and at equal latency
// (SoS+'s latency curve interpolated). Each comes back as a sentence with its numbers and a verdict.
// Learned policies against the no-learning ones at equal cost are BudgetFrontier's targets. (The old
// "APR >= uniform policy + 20 at equal tokens" check is gone: it compared ~12,000 tokens with ~560.)
using System.Globalization;
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Evaluation;

public sealed record TargetCheck(string Name, string Finding, bool? Met);

public static class EvalTargets
{
    public static List<TargetCheck> Check(IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, int referenceContext)
    {
        ArgumentNullException.ThrowIfNull(results);
        var checks = new List<TargetCheck>();
        ConditionSummary? Find(string name) => results.FirstOrDefault(r => r.Summary.Condition.Name == name).Summary;
        var aprModel = Find("apr-model");
        var sospModel = Find("sosp-model");

        // 1. Same context.
        if (aprModel is not null && sospModel is not null)
        {
            double a = aprModel.AccuracyWithin(referenceContext), s = sospModel.AccuracyWithin(referenceContext);
            double gap = 100 * (a - s);
            checks.Add(new($"APR >= SoS+ + 15 points at the same context ({referenceContext} tokens)",
                $"APR {P(a)} vs SoS+ {P(s)} ({gap:+0.0;-0.0} points); at the full context: APR {P(aprModel.Accuracy)} vs SoS+ {P(sospModel.Accuracy)}", gap >= 15));
        }

        // 2. Equal total tokens: each sampled APR condition against SoS+ cons@k at the same mean tokens.
        var sospN = results.Select(r => r.Summary).FirstOrDefault(s => s.Condition.Method == SearchMethod.SosPlus && s.Condition.Policy == EvalPolicy.Model && s.AtK.Count > 0);
        var aprSampled = results.Where(r => r.Sweeps.HasFlag(EvalSweeps.Tokens) && r.Summary.Condition.Method == SearchMethod.Apr && r.Summary.Condition.Policy == EvalPolicy.Model).Select(r => r.Summary).ToList();
        if (sospN is not null && aprSampled.Count > 0)
        {
            var parts = new List<string>();
            bool all = true;
            foreach (var a in aprSampled.OrderBy(s => s.MeanTotalTokens))
            {
                var (cons, note) = Interpolate(sospN.AtK.Select(k => (k.MeanTotalTokens, k.ConsAtK)).ToList(), a.MeanTotalTokens);
                parts.Add($"{a.Condition.Label}: {P(a.Accuracy)} at {F0(a.MeanTotalTokens)} tokens vs SoS+ cons@k {P(cons)}{note}");
                all &= a.Accuracy > cons;
            }
            checks.Add(new("APR above SoS+ cons@n at equal mean total tokens", string.Join("; ", parts), all));
        }

        // 3. Equal latency: each APR latency condition against SoS+'s latency curve.
        var latency = results.Where(r => r.Sweeps.HasFlag(EvalSweeps.Latency) && r.Summary.Condition.Policy == EvalPolicy.Model && r.Summary.MeanLatencyMs is not null).Select(r => r.Summary).ToList();
        var sospLatency = latency.Where(s => s.Condition.Method != SearchMethod.Apr).Select(s => (s.MeanLatencyMs!.Value, s.Accuracy)).OrderBy(p => p.Item1).ToList();
        var aprLatency = latency.Where(s => s.Condition.Method == SearchMethod.Apr).OrderBy(s => s.MeanLatencyMs).ToList();
        if (sospLatency.Count > 0 && aprLatency.Count > 0)
        {
            var parts = new List<string>();
            bool all = true;
            foreach (var a in aprLatency)
            {
                var (acc, note) = Interpolate(sospLatency, a.MeanLatencyMs!.Value);
                parts.Add($"{a.Condition.Label}: {P(a.Accuracy)} at {F0(a.MeanLatencyMs!.Value)} ms vs SoS+ {P(acc)}{note}");
                all &= a.Accuracy > acc;
            }
            checks.Add(new("APR above SoS+ at equal latency on this machine", string.Join("; ", parts), all));
        }
        return checks;
    }

    /// <summary>Linear interpolation of y at x over points sorted by x; outside the range, the nearest end (and a note saying so).</summary>
    public static (double Y, string Note) Interpolate(IReadOnlyList<(double X, double Y)> points, double x)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("no points to interpolate");
        var p = points.OrderBy(q => q.X).ToList();
        if (x <= p[0].X) return (p[0].Y, x < p[0].X ? $" (its lowest point, {F0(p[0].X)})" : "");
        if (x >= p[^1].X) return (p[^1].Y, x > p[^1].X ? $" (its highest point, {F0(p[^1].X)})" : "");
        int i = p.FindIndex(q => q.X >= x);
        var (x0, y0) = p[i - 1];
        var (x1, y1) = p[i];
        return (x1 == x0 ? y1 : y0 + (y1 - y0) * (x - x0) / (x1 - x0), " (interpolated)");
    }

    internal static string P(double share) => (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    internal static string F0(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);
}
