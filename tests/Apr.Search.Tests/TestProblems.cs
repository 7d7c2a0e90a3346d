// TestProblems: fixed-seed problem sets for the search tests.
using Apr.Core;
using Apr.Countdown;

namespace Apr.Search.Tests;

internal static class TestProblems
{
    private static readonly Lazy<IReadOnlyList<CountdownProblem>> PaperSet =
        new(() => new ProblemGenerator(ProblemDistribution.Paper).Generate(3000, 2024, "t"));

    /// <summary>3000 problems of the paper's distribution (solvable, 4 numbers).</summary>
    public static IReadOnlyList<CountdownProblem> Paper => PaperSet.Value;

    public static IReadOnlyList<CountdownProblem> Generate(ProblemDistribution d, int count, ulong seed) =>
        new ProblemGenerator(d).Generate(count, seed, "t");

    /// <summary>Random problems that may be unsolvable: numbers 1..30, target 10..100.</summary>
    public static List<CountdownProblem> Unfiltered(int count, int numbers, ulong seed)
    {
        var rng = new Rng(seed);
        var list = new List<CountdownProblem>();
        for (var i = 0; i < count; i++)
        {
            var target = rng.NextInt(10, 100);
            var nums = new long[numbers];
            for (var k = 0; k < numbers; k++) nums[k] = rng.NextInt(1, 30);
            list.Add(new CountdownProblem($"u{i}", target, nums));
        }
        return list;
    }
}
