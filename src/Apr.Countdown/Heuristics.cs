// Heuristics: the reference's node scores (lower is better), as plain slow-and-obvious functions,
// plus exact integer ordering keys that the fast solvers compare.
//
// mult: sum over the numbers of min |x - f| over the factors f of T in 2..T.
// sum:  |x - T| for one number, else the mean of |x - T| over the numbers (a fraction in the reference,
//       which compares Python floats). Keys: the solvers never compare doubles. SumKey is the sum
//       heuristic times 60 (60 = lcm(1..6)), an exact integer for up to 6 numbers, so nodes with
//       different counts of numbers order exactly as the reference's fractions do. The mult key is the
//       mult value itself. This file does not cache anything; HeuristicTable is the fast per-target form.
namespace Apr.Countdown;

public static class Heuristics
{
    /// <summary>The scale of <see cref="SumKey"/>: lcm(1..6), so the mean of up to 6 distances is an integer.</summary>
    public const long SumScale = 60;

    /// <summary>Most numbers a sum key supports (SumScale must be divisible by the count).</summary>
    public const int MaxNumbers = 6;

    /// <summary>
    /// The factors of <paramref name="target"/> in 2..target, ascending: every product of its prime factors
    /// (see <see cref="PrimeFactors"/>), so any 64-bit target takes microseconds and nothing overflows.
    /// </summary>
    public static long[] Factors(long target)
    {
        if (target < 2) throw new ArgumentOutOfRangeException(nameof(target), $"the mult heuristic needs a target of at least 2, got {target}");
        var divisors = new List<long> { 1 };
        var primes = PrimeFactors.Of(target);
        for (int i = 0; i < primes.Count;)
        {
            long p = primes[i];
            int exponent = 0;
            while (i < primes.Count && primes[i] == p) { exponent++; i++; }
            int count = divisors.Count;
            long power = 1;
            for (int e = 0; e < exponent; e++)
            {
                power *= p; // a divisor of target: no overflow
                for (int j = 0; j < count; j++) divisors.Add(divisors[j] * power);
            }
        }
        divisors.Sort();
        return [.. divisors.Skip(1)];
    }

    /// <summary>Distance from <paramref name="x"/> to the nearest of <paramref name="factors"/> (ascending, non-empty).</summary>
    public static long DistanceToFactors(long x, ReadOnlySpan<long> factors)
    {
        var at = factors.BinarySearch(x);
        if (at >= 0) return 0;
        at = ~at;
        var best = long.MaxValue;
        if (at < factors.Length) best = factors[at] - x;
        if (at > 0) best = Math.Min(best, x - factors[at - 1]);
        return best;
    }

    /// <summary>The reference's mult_heuristic.</summary>
    public static long Mult(ReadOnlySpan<long> nums, long target)
    {
        var factors = Factors(target);
        long h = 0;
        foreach (var x in nums) h += DistanceToFactors(x, factors);
        return h;
    }

    /// <summary>The reference's sum_heuristic, as a double like the reference's Python value.</summary>
    public static double Sum(ReadOnlySpan<long> nums, long target)
    {
        if (nums.IsEmpty) throw new ArgumentException("the sum heuristic needs at least one number", nameof(nums));
        long s = 0;
        foreach (var x in nums) s += Math.Abs(x - target);
        return nums.Length == 1 ? s : (double)s / nums.Length;
    }

    /// <summary>Exact ordering key of the sum heuristic: <see cref="Sum"/> times <see cref="SumScale"/>.</summary>
    public static long SumKey(ReadOnlySpan<long> nums, long target)
    {
        if (nums.IsEmpty || nums.Length > MaxNumbers)
            throw new ArgumentException($"the sum key supports 1..{MaxNumbers} numbers, got {nums.Length}", nameof(nums));
        long s = 0;
        foreach (var x in nums) s += Math.Abs(x - target);
        return s * (SumScale / nums.Length);
    }

    /// <summary>The ordering key of <paramref name="kind"/>: equal keys mean equal heuristic values, and lower is better.</summary>
    public static long Key(HeuristicKind kind, ReadOnlySpan<long> nums, long target) => kind switch
    {
        HeuristicKind.Mult => Mult(nums, target),
        HeuristicKind.Sum => SumKey(nums, target),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"unknown heuristic {kind}"),
    };
}
