// ProblemDistribution: where Countdown problems are drawn from (reference section 2). The paper's
// distribution is the default: 4 numbers, each uniform in 1..99 with repeats, target uniform in 10..100.
//
// An immutable record: override with `with { Count = 5 }`. Validate() checks every field and names
// the bad value; ProblemGenerator calls it, so an invalid distribution never generates anything.
namespace Apr.Countdown;

/// <summary>The distribution of generated problems; all ranges are inclusive.</summary>
public sealed record ProblemDistribution
{
    /// <summary>Largest value allowed for a target or a starting number.</summary>
    public const long MaxValue = 1_000_000;

    /// <summary>How many starting numbers (3..6). The paper uses 4.</summary>
    public int Count { get; init; } = 4;

    public long TargetMin { get; init; } = 10;
    public long TargetMax { get; init; } = 100;
    public long NumberMin { get; init; } = 1;
    public long NumberMax { get; init; } = 99;

    /// <summary>The paper's distribution.</summary>
    public static ProblemDistribution Paper { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field and its value; returns this.</summary>
    public ProblemDistribution Validate()
    {
        if (Count is < 3 or > 6)
            throw new ArgumentException($"ProblemDistribution.Count must be in 3..6, got {Count}");
        if (TargetMin < 2 || TargetMin > MaxValue)
            throw new ArgumentException($"ProblemDistribution.TargetMin must be in 2..{MaxValue}, got {TargetMin}");
        if (TargetMax < TargetMin || TargetMax > MaxValue)
            throw new ArgumentException($"ProblemDistribution.TargetMax must be in TargetMin ({TargetMin})..{MaxValue}, got {TargetMax}");
        if (NumberMin < 0 || NumberMin > MaxValue)
            throw new ArgumentException($"ProblemDistribution.NumberMin must be in 0..{MaxValue}, got {NumberMin}");
        if (NumberMax < NumberMin || NumberMax > MaxValue)
            throw new ArgumentException($"ProblemDistribution.NumberMax must be in NumberMin ({NumberMin})..{MaxValue}, got {NumberMax}");
        return this;
    }
}
