// ProblemLimits: the problems apr supports, checked wherever a problem comes in from outside (a problems
// file, `apr solve --target/--nums`): 2..6 numbers, each 0..1,000,000, and a target of at least 1. The
// solvers' scratch buffers and the sum key are sized for 6 numbers; the bound on numbers keeps every
// search's values far from 64-bit overflow in a few operations. Does not judge solvability.
using System.Globalization;

namespace Apr.Countdown;

public static class ProblemLimits
{
    public const int MinNumbers = 2;
    public const int MaxNumbers = Heuristics.MaxNumbers;
    public const long MaxNumber = 1_000_000;
    public const long MinTarget = 1;

    /// <summary>Null when a problem with this target and these numbers is supported, else what is wrong and the allowed range.</summary>
    public static string? Check(long target, IReadOnlyList<long> nums)
    {
        ArgumentNullException.ThrowIfNull(nums);
        if (target < MinTarget) return $"target {target} is out of range: it must be at least {MinTarget}";
        return CheckNumbers(nums);
    }

    /// <summary>Null when a problem of <paramref name="count"/> numbers is supported, else the reason.</summary>
    public static string? CheckCount(int count) =>
        count is < MinNumbers or > MaxNumbers
            ? $"{count} {(count == 1 ? "number is" : "numbers are")} out of range: a problem has {MinNumbers} to {MaxNumbers} numbers"
            : null;

    /// <summary>Null when the count and every value of <paramref name="nums"/> are supported, else the reason.</summary>
    public static string? CheckNumbers(IReadOnlyList<long> nums)
    {
        ArgumentNullException.ThrowIfNull(nums);
        if (CheckCount(nums.Count) is { } count) return count;
        foreach (var x in nums)
            if (x < 0 || x > MaxNumber)
                return $"number {x} is out of range: numbers must be 0 to {MaxNumber.ToString("N0", CultureInfo.InvariantCulture)}";
        return null;
    }
}
