// SearchLimits: hard bounds shared by the solvers' option validation and their scratch buffers.
namespace Apr.Search;

internal static class SearchLimits
{
    /// <summary>Largest beam (a node has at most 60 successors with 6 numbers).</summary>
    public const int MaxBeam = 64;

    /// <summary>Most starting numbers a solver accepts (the arena's stride and the sum key's scale).</summary>
    public const int MaxNumbers = Apr.Countdown.Heuristics.MaxNumbers;
}
