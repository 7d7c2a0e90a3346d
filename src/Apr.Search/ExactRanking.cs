// ExactRanking: a ranking for the width-capped trees that learns nothing: a state of at most UpTo numbers from which
// the target can be reached (ExhaustiveSolver) comes first, one from which it cannot comes last, and larger states keep
// the heuristic's order (AprOptions.Scorer: equal scores keep it). With UpTo = 2 it is the one-line check "does one
// operation on these two numbers make the target", which a learned ranker also learns (bench/results/eval/mlp-5): the
// no-learning bar such a ranker is measured against (`apr eval --exact-upto 2`, trees apr-symbolic-*x2).
using Apr.Countdown;

namespace Apr.Search;

/// <summary>Scores a state 1 or 0 by an exact check when it has at most <see cref="UpTo"/> numbers, else 0.5.</summary>
public sealed class ExactRanking : ISuccessorScorer
{
    /// <summary>The score of a state too large to check (every such state alike: the heuristic's order stands).</summary>
    public const double Unchecked = 0.5;

    public int UpTo { get; }

    public ExactRanking(int upTo)
    {
        if (upTo is < 2 or > ProblemLimits.MaxNumbers)
            throw new ArgumentOutOfRangeException(nameof(upTo), $"an exact check covers states of 2..{ProblemLimits.MaxNumbers} numbers, got {upTo}");
        UpTo = upTo;
    }

    public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(states);
        for (int i = 0; i < states.Count; i++)
            scores[i] = states[i].Length > UpTo ? Unchecked : ExhaustiveSolver.IsSolvable(target, states[i]) ? 1 : 0;
    }
}
