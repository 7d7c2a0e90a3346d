// ExactRanking: a ranking for the width-capped trees that learns nothing: a state of at most UpTo numbers from which
// the target can be reached (ExhaustiveSolver) comes first, one from which it cannot comes last, and larger states keep
// the heuristic's order (AprOptions.Scorer: equal scores keep it). With UpTo = 2 it is the one-line check "does one
// operation on these two numbers make the target", which a learned ranker also learns (bench/results/eval/mlp-5): the
// no-learning bar such a ranker is measured against (`apr eval --exact-upto 2`, trees apr-symbolic-*x2).
// With a ranking Beyond (a learned ranker), larger states take that ranking's score instead of the heuristic's order:
// the trees a model decoded with `--value-exact-upto 2` imitates (`data traces --ranker DIR --exact-upto 2`) and is
// measured against (`eval --ranker DIR --exact-upto 2`, trees apr-ranked-*x2) rate states exactly where the model's
// value guide does.
using Apr.Countdown;

namespace Apr.Search;

/// <summary>Scores a state 1 or 0 by an exact check when it has at most <see cref="UpTo"/> numbers, else 0.5 (or <see cref="Beyond"/>'s score).</summary>
public sealed class ExactRanking : ISuccessorScorer
{
    /// <summary>The score of a state too large to check (every such state alike: the heuristic's order stands).</summary>
    public const double Unchecked = 0.5;

    public int UpTo { get; }

    /// <summary>
    /// Null when <paramref name="upTo"/> is a valid `--exact-upto` setting (0 for no check, or 2..MaxNumbers), else the
    /// message naming it: the one check behind `eval --exact-upto` (EvalSettings) and `data traces --exact-upto`.
    /// </summary>
    public static string? SettingError(int upTo) => upTo is 0 or (>= 2 and <= ProblemLimits.MaxNumbers)
        ? null
        : $"the exact check (--exact-upto) covers states of 2..{ProblemLimits.MaxNumbers} numbers, or 0 for none; got {upTo}";

    /// <summary>The ranking of states too large to check (null: all alike, <see cref="Unchecked"/>); not owned.</summary>
    public ISuccessorScorer? Beyond { get; }

    public ExactRanking(int upTo, ISuccessorScorer? beyond = null)
    {
        if (upTo is < 2 or > ProblemLimits.MaxNumbers)
            throw new ArgumentOutOfRangeException(nameof(upTo), $"an exact check covers states of 2..{ProblemLimits.MaxNumbers} numbers, got {upTo}");
        UpTo = upTo;
        Beyond = beyond;
    }

    public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(states);
        List<long[]>? large = null;   // stateless (thread-safe, as without Beyond): the learned ranking's batch is built per call
        List<int>? largeAt = null;
        for (int i = 0; i < states.Count; i++)
        {
            if (states[i].Length <= UpTo) scores[i] = ExhaustiveSolver.IsSolvable(target, states[i]) ? 1 : 0;
            else if (Beyond is null) scores[i] = Unchecked;
            else
            {
                (large ??= []).Add(states[i]);
                (largeAt ??= []).Add(i);
            }
        }
        if (large is null) return;
        var rated = new double[large.Count];
        Beyond!.Score(target, large, rated);
        for (int j = 0; j < rated.Length; j++) scores[largeAt![j]] = rated[j];
    }
}
