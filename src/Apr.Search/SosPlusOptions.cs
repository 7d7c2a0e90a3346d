// SosPlusOptions: the settings of the SoS+ demonstration solver (reference section 3). Defaults are
// the paper's: beam uniform in 1..5 per problem, dive probability 0.5, the mult heuristic.
// Immutable; override with `with { ... }`; Validate() names the bad value.
using Apr.Countdown;

namespace Apr.Search;

public sealed record SosPlusOptions
{
    /// <summary>Smallest beam drawn per problem (inclusive).</summary>
    public int BeamMin { get; init; } = 1;

    /// <summary>Largest beam drawn per problem (inclusive, at most 64).</summary>
    public int BeamMax { get; init; } = 5;

    /// <summary>Probability that, after expanding a node, the solver dives into each kept child in turn.</summary>
    public double DiveProbability { get; init; } = 0.5;

    public HeuristicKind Heuristic { get; init; } = HeuristicKind.Mult;

    public static SosPlusOptions Paper { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field and its value; returns this.</summary>
    public SosPlusOptions Validate()
    {
        if (BeamMin < 1 || BeamMin > SearchLimits.MaxBeam)
            throw new ArgumentException($"SosPlusOptions.BeamMin must be in 1..{SearchLimits.MaxBeam}, got {BeamMin}");
        if (BeamMax < BeamMin || BeamMax > SearchLimits.MaxBeam)
            throw new ArgumentException($"SosPlusOptions.BeamMax must be in BeamMin ({BeamMin})..{SearchLimits.MaxBeam}, got {BeamMax}");
        if (!(DiveProbability >= 0 && DiveProbability <= 1))
            throw new ArgumentException($"SosPlusOptions.DiveProbability must be in [0, 1], got {DiveProbability}");
        if (!Enum.IsDefined(Heuristic))
            throw new ArgumentException($"SosPlusOptions.Heuristic is not a known heuristic: {Heuristic}");
        return this;
    }
}
