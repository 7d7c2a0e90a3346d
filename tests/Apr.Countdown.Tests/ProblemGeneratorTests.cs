// ProblemGenerator and ProblemDistribution: validation messages, reproducibility across thread
// counts, no duplicates, exclusions respected, every problem solvable with a verified solution.
using Apr.Countdown;
using Apr.Testing;

namespace Apr.Countdown.Tests;

public sealed class ProblemGeneratorTests
{
    [Theory]
    [InlineData(2, 10, 100, 1, 99, "Count must be in 3..6, got 2")]
    [InlineData(4, 1, 100, 1, 99, "TargetMin must be in 2..1000000, got 1")]
    [InlineData(4, 50, 40, 1, 99, "TargetMax must be in TargetMin (50)..1000000, got 40")]
    [InlineData(4, 10, 100, -1, 99, "NumberMin must be in 0..1000000, got -1")]
    [InlineData(4, 10, 100, 5, 4, "NumberMax must be in NumberMin (5)..1000000, got 4")]
    public void Invalid_distributions_are_rejected_naming_the_value(int count, long tMin, long tMax, long nMin, long nMax, string message)
    {
        var d = new ProblemDistribution { Count = count, TargetMin = tMin, TargetMax = tMax, NumberMin = nMin, NumberMax = nMax };
        var e = Assert.Throws<ArgumentException>(() => new ProblemGenerator(d));
        Assert.Contains(message, e.Message);
    }

    [Slow]
    [Fact]
    public void The_same_seed_gives_the_same_list_for_1_2_and_8_threads()
    {
        var g = new ProblemGenerator(ProblemDistribution.Paper);
        var one = g.Generate(3000, 42, threads: 1);
        var two = g.Generate(3000, 42, threads: 2);
        var eight = g.Generate(3000, 42, threads: 8);
        Assert.Equal(Describe(one), Describe(two));
        Assert.Equal(Describe(one), Describe(eight));
        Assert.NotEqual(Describe(one), Describe(g.Generate(3000, 43)));
    }

    [Fact]
    public void Problems_are_distinct_solvable_in_range_and_named_by_position()
    {
        var d = ProblemDistribution.Paper;
        var problems = new ProblemGenerator(d).Generate(5000, 7, "train");
        Assert.Equal(5000, problems.Count);
        Assert.Equal(problems.Count, problems.Select(p => p.Key).Distinct().Count());
        for (var i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            Assert.Equal($"train{i:D6}", p.Id);
            Assert.InRange(p.Target, d.TargetMin, d.TargetMax);
            Assert.Equal(d.Count, p.Nums.Count);
            Assert.All(p.Nums, x => Assert.InRange(x, d.NumberMin, d.NumberMax));
            Assert.True(Verifier.Verify(p.Target, p.Nums, p.Solution).Ok, $"{p.Key}: {string.Join(' ', p.Solution)}");
            Assert.True(ExhaustiveSolver.TrySolve(p.Target, [.. p.Nums], out var s) && s.SequenceEqual(p.Solution));
        }
    }

    [Fact]
    public void Excluded_keys_never_appear_and_small_spaces_are_deduplicated()
    {
        var g = new ProblemGenerator(ProblemDistribution.Paper);
        var train = g.Generate(2000, 1);
        var exclude = train.Select(p => p.Key).ToHashSet();
        var val = g.Generate(2000, 1, "val", exclude);   // the same seed: every candidate of train is excluded
        Assert.DoesNotContain(val, p => exclude.Contains(p.Key));
        Assert.Equal(2000, val.Count);

        // A tiny space: 3 numbers in 1..4, target 10..12 has few distinct problems; all kept ones are distinct.
        var tiny = new ProblemGenerator(new ProblemDistribution { Count = 3, TargetMin = 10, TargetMax = 12, NumberMin = 1, NumberMax = 4 });
        var few = tiny.Generate(10, 3);
        Assert.Equal(10, few.Select(p => p.Key).Distinct().Count());
        var e = Assert.Throws<InvalidOperationException>(() => tiny.Generate(1000, 3));
        Assert.Contains("too few distinct problems", e.Message);
    }

    [Fact]
    public void Key_is_the_sorted_numbers_and_target()
    {
        var p = new CountdownProblem("x", 42, [38, 30, 11, 44]);
        Assert.Equal("42:11,30,38,44", p.Key);
    }

    private static string Describe(IReadOnlyList<CountdownProblem> ps) =>
        string.Join('\n', ps.Select(p => $"{p.Id} {p.Target} {string.Join(',', p.Nums)} {string.Join(' ', p.Solution)}"));
}
