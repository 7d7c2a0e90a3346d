// HeuristicKind: which heuristic a beam search ranks nodes by (lower is better).
namespace Apr.Countdown;

/// <summary>The reference's two heuristics. The paper's solvers use <see cref="Mult"/>.</summary>
public enum HeuristicKind
{
    /// <summary>Sum over the numbers of the distance to the nearest factor of the target in 2..T.</summary>
    Mult,

    /// <summary>Mean distance of the numbers to the target (the reference's sum_heuristic).</summary>
    Sum,
}
