// BudgetPrefix: what a budget-aware model is told of its total-token budget B, in the `Token Budget: N`
// prefix of its root prompt. An APR model trained on budget-labelled traces (Apr.Demonstrations.BudgetedTraces)
// reads one of its training budgets: the largest not above B (the smallest when B is below all of them;
// with no budget, the largest), divided by the model's budget unit. The SoS+ model's Token Budget counts its completion tokens rounded up to
// a bin, so it is told B rounded down to the bin (at least one bin), and nothing when no budget is set.
// Which model reads what comes from its manifest (ModelConditioning). Plain arithmetic; the runtime
// enforces B itself (SolveOptions.Budget).
using Apr.Protocol;
namespace Apr.Inference;

public static class BudgetPrefix
{
    /// <summary>The prefix value for <paramref name="budget"/> (null: no budget), or null when the model reads none.</summary>
    public static int? For(long? budget, SearchMethod method, ModelConditioning conditioning)
    {
        ArgumentNullException.ThrowIfNull(conditioning);
        if (method == SearchMethod.Apr)
            return conditioning.BudgetBins is { Count: > 0 } bins ? (budget is { } b ? ForBins(b, bins) : bins.Max()) / conditioning.BudgetUnit : null;
        return conditioning.TokenBudgetBin is { } bin && budget is { } total ? (int)Math.Max(bin, Math.Min(int.MaxValue / 2, total) / bin * bin) : null;
    }

    /// <summary>The largest of <paramref name="bins"/> not above <paramref name="budget"/>, else the smallest.</summary>
    public static int ForBins(long budget, IReadOnlyList<int> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        if (bins.Count == 0) throw new ArgumentException("no budget bins");
        var below = bins.Where(b => b <= budget).ToList();
        return below.Count > 0 ? below.Max() : bins.Min();
    }
}
