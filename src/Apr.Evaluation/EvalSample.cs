// EvalSample: one sample of one problem under one condition, reduced to what the evaluation scores:
// the answer and its strict verdict and the cost figures of reference section 6. Built from a runtime
// ProblemRecord (a model, a no-learning policy, or a symbolic solver's demonstration: SymbolicBaseline).
using Apr.Inference;

namespace Apr.Evaluation;

/// <summary>
/// <see cref="MaxCallTokens"/>: the longest call (prompt + completion), so a context limit L counts the
/// sample only when every thread fits (<c>MaxCallTokens &lt;= L</c>). <see cref="LatencyMs"/> is null for
/// the symbolic solver (its wall time is not a model's).
/// </summary>
public sealed record EvalSample(
    string Id,
    int Sample,
    IReadOnlyList<Apr.Countdown.Operation>? Answer,
    bool Correct,
    long TotalTokens,
    long SampledTokens,
    long SequentialTokens,
    double? LatencyMs,
    int MaxCallTokens,
    int Children,
    int Spawns,
    string Outcome,
    long? Budget = null)
{
    public static EvalSample From(ProblemRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new EvalSample(r.Id, r.Sample, r.Answer, r.Correct, r.TotalTokens, r.SampledTokens, r.SequentialTokens,
            r.LatencyMs, r.MaxCallTokens, r.Children, r.Spawns, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Outcome.ToString()), r.Budget);
    }

    /// <summary>Correct and every thread within <paramref name="context"/> tokens.</summary>
    public bool CorrectWithin(int context) => Correct && MaxCallTokens <= context;

    /// <summary>Correct within <paramref name="context"/> tokens per thread and <paramref name="totalCap"/> tokens in all.</summary>
    public bool CorrectWithin(int context, long totalCap) => CorrectWithin(context) && TotalTokens <= totalCap;

    /// <summary>True when it ran under a budget and holds more tokens than it (must never happen).</summary>
    public bool OverBudget => Budget is { } b && TotalTokens > b;
}
