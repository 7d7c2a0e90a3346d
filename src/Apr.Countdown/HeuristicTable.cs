// HeuristicTable: the fast per-target form of a heuristic, for the solvers' inner loop.
//
// Distance(x) is the per-number term (distance to the nearest factor for mult, |x - T| for sum); a
// node's key is the sum of its numbers' distances, times SumScale / count for sum (see Heuristics).
// Tables for mult targets up to 4096 are built once per target and shared (immutable after build).
// It does not know about nodes or traces; tests check it against the slow Heuristics functions.
namespace Apr.Countdown;

/// <summary>Per-target heuristic evaluator. Immutable and thread-safe.</summary>
public sealed class HeuristicTable
{
    private const long TableLimit = 4096;
    private static readonly HeuristicTable?[] MultCache = new HeuristicTable?[TableLimit + 1];

    private readonly int[]? _near;   // mult: distance for x in 0..T (x > T is x - T, T being the largest factor)
    private readonly long[] _factors;

    public HeuristicKind Kind { get; }
    public long Target { get; }

    private HeuristicTable(HeuristicKind kind, long target)
    {
        Kind = kind;
        Target = target;
        _factors = [];
        if (kind == HeuristicKind.Mult)
        {
            _factors = Heuristics.Factors(target);
            if (target <= TableLimit)
            {
                _near = new int[target + 1];
                for (long x = 0; x <= target; x++) _near[x] = (int)Heuristics.DistanceToFactors(x, _factors);
            }
        }
    }

    /// <summary>The evaluator for <paramref name="kind"/> and <paramref name="target"/> (cached for small mult targets).</summary>
    public static HeuristicTable For(HeuristicKind kind, long target)
    {
        if (kind == HeuristicKind.Mult)
        {
            if (target < 2) throw new ArgumentOutOfRangeException(nameof(target), $"the mult heuristic needs a target of at least 2, got {target}");
            if (target <= TableLimit)
            {
                var cached = Volatile.Read(ref MultCache[target]);
                if (cached is not null) return cached;
                var built = new HeuristicTable(kind, target);
                return Interlocked.CompareExchange(ref MultCache[target], built, null) ?? built;
            }
            return new HeuristicTable(kind, target);
        }
        if (kind == HeuristicKind.Sum) return new HeuristicTable(kind, target);
        throw new ArgumentOutOfRangeException(nameof(kind), $"unknown heuristic {kind}");
    }

    /// <summary>The per-number term of the heuristic.</summary>
    public long Distance(long x)
    {
        if (Kind == HeuristicKind.Sum) return Math.Abs(x - Target);
        if (x >= Target) return x - Target;
        if (_near is not null && x >= 0) return _near[x];
        return Heuristics.DistanceToFactors(x, _factors);
    }

    /// <summary>The ordering key of a node whose numbers' distances add up to <paramref name="distanceSum"/>.</summary>
    public long KeyFromSum(long distanceSum, int count) =>
        Kind == HeuristicKind.Sum ? distanceSum * (Heuristics.SumScale / count) : distanceSum;

    /// <summary>The ordering key of <paramref name="nums"/>; equals <see cref="Heuristics.Key"/>.</summary>
    public long Key(ReadOnlySpan<long> nums)
    {
        long s = 0;
        foreach (var x in nums) s += Distance(x);
        return KeyFromSum(s, nums.Length);
    }
}
