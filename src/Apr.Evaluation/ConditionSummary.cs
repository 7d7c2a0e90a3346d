// ConditionSummary: the figures of one condition: accuracy (first sample of each problem), mean costs,
// accuracy under each context limit (a sample counts only if every one of its threads fits), and for
// multi-sample conditions pass@k and cons@k for k = 1..n with the mean total tokens of k samples.
using Apr.Inference;

namespace Apr.Evaluation;

/// <summary>pass@k and cons@k over the first k samples of every problem, with their mean total tokens (k samples summed).</summary>
public sealed record AtK(int K, double PassAtK, double ConsAtK, double MeanTotalTokens);

/// <summary>Accuracy when every thread must fit in <see cref="Context"/> tokens.</summary>
public sealed record ContextPoint(int Context, double Accuracy);

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
    /// <summary>Scores <paramref name="result"/>; <paramref name="contexts"/> are the limits of the context curve.</summary>
    public static ConditionSummary Of(ConditionResult result, IReadOnlyList<int> contexts)
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
        return new ConditionSummary(result.Condition, first.Count,
            first.Average(s => s.Correct ? 1.0 : 0.0),
            first.Average(s => (double)s.TotalTokens),
            first.Average(s => (double)s.SampledTokens),
            first.Average(s => (double)s.SequentialTokens),
            first.All(s => s.LatencyMs is not null) ? first.Average(s => s.LatencyMs!.Value) : null,
            first.Average(s => (double)s.Children),
            first.Average(s => (double)s.Spawns),
            first.Average(s => (double)s.MaxCallTokens),
            outcomes, curve, atK, result.Seconds);
    }

    /// <summary>Accuracy at the largest curve point not above <paramref name="context"/> (the plain accuracy if the curve is empty).</summary>
    public double AccuracyWithin(int context) =>
        ContextCurve.LastOrDefault(p => p.Context <= context)?.Accuracy ?? Accuracy;
}
