// EvalSample: one sample of one problem under one condition, reduced to what the evaluation scores:
// the answer and its strict verdict and the cost figures of reference section 6. Built from a runtime
// ProblemRecord (model or random policy) or from a symbolic solver's demonstration (SymbolicBaseline).
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
    IReadOnlyList<string>? Answer,
    bool Correct,
    long TotalTokens,
    long SampledTokens,
    long SequentialTokens,
    double? LatencyMs,
    int MaxCallTokens,
    int Children,
    int Spawns,
    string Outcome)
{
    public static EvalSample From(ProblemRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new EvalSample(r.Id, r.Sample, r.Answer, r.Correct, r.TotalTokens, r.SampledTokens, r.SequentialTokens,
            r.LatencyMs, r.MaxCallTokens, r.Children, r.Spawns, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Outcome.ToString()));
    }

    /// <summary>Correct and every thread within <paramref name="context"/> tokens.</summary>
    public bool CorrectWithin(int context) => Correct && MaxCallTokens <= context;
}
