// ISuccessorScorer: a learned ranking for the APR solver's successors (AprOptions.Scorer). The solver keeps the
// successors a scorer rates most likely to reach the target instead of those with the lowest heuristic key; a
// width-capped tree ranked this way is a learned policy (`apr eval --ranker`), whose only learned part is the
// ranking. Apr.Evaluation's ReachabilityScorer implements it with a classifier trained by bench/Apr.Bench.Ranking.
// Guided decoding uses the same ratings as a value for a model's choices (Apr.Inference's ValueGuide), so the
// interface lives here, below both the solver and the engine.
namespace Apr.Countdown;

/// <summary>Rates states of one expansion: how likely the target can still be reached from each (higher is better).</summary>
public interface ISuccessorScorer
{
    /// <summary>
    /// One score per state of <paramref name="states"/> (each 2+ numbers, as the trace writes them after the
    /// operation), written into <paramref name="scores"/>; called once per expansion, from one thread at a time.
    /// </summary>
    void Score(long target, IReadOnlyList<long[]> states, Span<double> scores);
}
