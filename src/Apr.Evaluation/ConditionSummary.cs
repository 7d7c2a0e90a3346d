// ConditionSummary: the figures of one condition: accuracy (first sample of each problem), mean costs,
// accuracy under each context limit (a sample counts only if every one of its threads fits), and for
// multi-sample conditions pass@k and cons@k for k = 1..n with the mean total tokens of k samples.
using Apr.Inference;

namespace Apr.Evaluation;

/// <summary>pass@k and cons@k over the first k samples of every problem, with their mean total tokens (k samples summed).</summary>
public sealed record AtK(int K, double PassAtK, double ConsAtK, double MeanTotalTokens);

/// <summary>Accuracy when every thread must fit in <see cref="Context"/> tokens.</summary>
public sealed record ContextPoint(int Context, double Accuracy);

/// <summary>Accuracy when a problem may hold at most <see cref="Cap"/> tokens (total, or sequential), every thread within the run's context.</summary>
public sealed record CapPoint(int Cap, double Accuracy);

public sealed record ConditionSummary(
    EvalCondition Condition,
    int Problems,
    double Accuracy,
    double MeanTotalTokens,
    double MeanSampledTokens,
    double MeanSequentialTokens,
    double? MeanLatencyMs,
    double MeanChildren,
    double MeanSpawns,
    double MeanMaxCallTokens,
    IReadOnlyDictionary<string, int> Outcomes,
    IReadOnlyList<ContextPoint> ContextCurve,
    IReadOnlyList<AtK> AtK,
    double Seconds)
{
    /// <summary>Accuracy under each total-token cap of the budget sweep (empty when none were asked for).</summary>
    public IReadOnlyList<CapPoint> TotalCurve { get; init; } = [];

    /// <summary>Accuracy under each sequential-token cap of the budget sweep.</summary>
    public IReadOnlyList<CapPoint> SequentialCurve { get; init; } = [];

    /// <summary>Samples that ran under a budget and hold more tokens than it (the runtime must make this 0).</summary>
    public int OverBudget { get; init; }

    /// <summary>
    /// Scores <paramref name="result"/>; <paramref name="contexts"/> are the limits of the context curve (the
    /// largest is the run's context); <paramref name="totalCaps"/> and <paramref name="sequentialCaps"/> those
    /// of the budget sweep (a sample counts under a cap only if it is correct, every thread fits the run's
    /// context, and its total, or sequential, tokens are within the cap).
    /// </summary>
    public static ConditionSummary Of(ConditionResult result, IReadOnlyList<int> contexts, IReadOnlyList<int>? totalCaps = null, IReadOnlyList<int>? sequentialCaps = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(contexts);
        var first = result.Samples.Where(s => s.Sample == 0).ToList();
        if (first.Count == 0) throw new ArgumentException($"condition '{result.Condition.Name}' has no samples");
        var curve = contexts.Select(c => new ContextPoint(c, first.Count(s => s.CorrectWithin(c)) / (double)first.Count)).ToList();
        var atK = new List<AtK>();
        if (result.Condition.Samples > 1 && result.Records is { } records)
        {
            for (int k = 1; k <= result.Condition.Samples; k++)
            {
                var groups = MultiSample.Aggregate(records.Where(r => r.Sample < k));
                atK.Add(new AtK(k, groups.Average(g => g.PassAtN ? 1.0 : 0.0), groups.Average(g => g.ConsAtN ? 1.0 : 0.0), groups.Average(g => (double)g.TotalTokens)));
            }
        }
        var outcomes = first.GroupBy(s => s.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        int context = contexts.Count == 0 ? int.MaxValue : contexts.Max();
        var totalCurve = (totalCaps ?? []).Select(c => new CapPoint(c, first.Count(s => s.CorrectWithin(context, c)) / (double)first.Count)).ToList();
        var sequentialCurve = (sequentialCaps ?? []).Select(c => new CapPoint(c, first.Count(s => s.CorrectWithin(context) && s.SequentialTokens <= c) / (double)first.Count)).ToList();
        return new ConditionSummary(result.Condition, first.Count,
            first.Average(s => s.Correct ? 1.0 : 0.0),
            first.Average(s => (double)s.TotalTokens),
            first.Average(s => (double)s.SampledTokens),
            first.Average(s => (double)s.SequentialTokens),
            first.All(s => s.LatencyMs is not null) ? first.Average(s => s.LatencyMs!.Value) : null,
            first.Average(s => (double)s.Children),
            first.Average(s => (double)s.Spawns),
            first.Average(s => (double)s.MaxCallTokens),
            outcomes, curve, atK, result.Seconds)
        {
            TotalCurve = totalCurve,
            SequentialCurve = sequentialCurve,
            OverBudget = result.Samples.Count(s => s.OverBudget),
        };
    }

    /// <summary>Accuracy at the largest curve point not above <paramref name="context"/> (the plain accuracy if the curve is empty).</summary>
    public double AccuracyWithin(int context) =>
        ContextCurve.LastOrDefault(p => p.Context <= context)?.Accuracy ?? Accuracy;
}
