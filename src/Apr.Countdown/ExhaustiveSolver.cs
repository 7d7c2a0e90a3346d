// ExhaustiveSolver: is a problem solvable, and its first solution in the reference generator's
// depth-first order (pairs i < j in order, operations in Arithmetic.Combine's order, the result
// appended after the untouched numbers).
//
// This is the inner loop of problem generation, so it works on stack buffers and allocates only the
// returned solution. The last step (two numbers) is checked directly instead of recursing. It does
// not write traces and does not prune: every answer it gives is the reference's answer.
namespace Apr.Countdown;

public static class ExhaustiveSolver
{
    /// <summary>Most numbers a problem may have (the search is exponential; 6 already takes milliseconds).</summary>
    public const int MaxNumbers = 8;

    /// <summary>True when some sequence of operations turns <paramref name="nums"/> into exactly [<paramref name="target"/>].</summary>
    public static bool IsSolvable(long target, ReadOnlySpan<long> nums)
    {
        Check(nums);
        Span<long> work = stackalloc long[MaxNumbers * MaxNumbers];
        Span<Operation> path = stackalloc Operation[MaxNumbers];
        nums.CopyTo(work);
        return Search(target, work, nums.Length, path, 0);
    }

    /// <summary>The first solution in the reference's order, or false when there is none.</summary>
    public static bool TrySolve(long target, ReadOnlySpan<long> nums, out Operation[] solution)
    {
        Check(nums);
        Span<long> work = stackalloc long[MaxNumbers * MaxNumbers];
        Span<Operation> path = stackalloc Operation[MaxNumbers];
        nums.CopyTo(work);
        if (Search(target, work, nums.Length, path, 0))
        {
            solution = path[..(nums.Length - 1)].ToArray();
            return true;
        }
        solution = [];
        return false;
    }

    private static void Check(ReadOnlySpan<long> nums)
    {
        if (nums.Length < 1 || nums.Length > MaxNumbers)
            throw new ArgumentException($"the exhaustive solver takes 1..{MaxNumbers} numbers, got {nums.Length}", nameof(nums));
        foreach (var x in nums)
            if (x < 0) throw new ArgumentException($"numbers must be non-negative, got {x}", nameof(nums));
    }

    // work holds one frame of MaxNumbers slots per depth: frame d starts at d * MaxNumbers and has n numbers.
    private static bool Search(long target, Span<long> work, int n, Span<Operation> path, int depth)
    {
        var frame = work.Slice(depth * MaxNumbers, n);
        if (n == 1) return frame[0] == target;
        if (n == 2) return LastStep(target, frame[0], frame[1], ref path[depth]);
        var next = work.Slice((depth + 1) * MaxNumbers, n - 1);
        Span<Operation> ops = stackalloc Operation[Arithmetic.MaxPerPair];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var m = 0;
                for (var k = 0; k < n; k++)
                    if (k != i && k != j) next[m++] = frame[k];
                var count = Arithmetic.Combine(frame[i], frame[j], ops);
                for (var c = 0; c < count; c++)
                {
                    next[m] = ops[c].Result;
                    path[depth] = ops[c];
                    if (Search(target, work, n - 1, path, depth + 1)) return true;
                }
            }
        }
        return false;
    }

    // The two-number case: a cheap test first, then Combine (in its order: a+b, a*b, hi-lo, hi/lo)
    // picks the first legal operation that hits the target, so overflow rules stay Combine's.
    private static bool LastStep(long target, long a, long b, ref Operation step)
    {
        var (hi, lo) = a <= b ? (b, a) : (a, b);
        var maybe = unchecked(a + b == target || a * b == target) || hi - lo == target
            || (lo != 0 && hi % lo == 0 && hi / lo == target);
        if (!maybe) return false;
        Span<Operation> ops = stackalloc Operation[Arithmetic.MaxPerPair];
        var count = Arithmetic.Combine(a, b, ops);
        for (var c = 0; c < count; c++)
        {
            if (ops[c].Result != target) continue;
            step = ops[c];
            return true;
        }
        return false;
    }
}
