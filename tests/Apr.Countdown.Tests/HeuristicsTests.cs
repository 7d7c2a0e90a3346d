// Heuristics: hand-computed values of the reference's mult and sum heuristics, and the fast
// per-target table against the slow functions over many random cases.
using Apr.Core;
using Apr.Countdown;

namespace Apr.Countdown.Tests;

public sealed class HeuristicsTests
{
    [Fact]
    public void Factors_of_24_are_its_divisors_from_2_up()
    {
        Assert.Equal([2L, 3, 4, 6, 8, 12, 24], Heuristics.Factors(24));
        Assert.Equal([13L], Heuristics.Factors(13));
        Assert.Equal([2L, 3, 4, 6, 9, 12, 18, 36], Heuristics.Factors(36));
    }

    [Fact]
    public void Mult_sums_the_distance_of_each_number_to_the_nearest_factor()
    {
        // T = 24, factors 2 3 4 6 8 12 24: 5 -> 1 (4 or 6), 13 -> 1 (12), 30 -> 6 (24), 1 -> 1 (2).
        Assert.Equal(9, Heuristics.Mult([5, 13, 30, 1], 24));
        // T = 13 (prime): 0 -> 13, 20 -> 7.
        Assert.Equal(20, Heuristics.Mult([0, 20], 13));
        Assert.Equal(0, Heuristics.Mult([24], 24));
    }

    [Fact]
    public void Sum_is_the_mean_distance_to_the_target()
    {
        Assert.Equal(1.0, Heuristics.Sum([25], 24));
        Assert.Equal(5.0, Heuristics.Sum([20, 30], 24));
        Assert.Equal(25.0 / 3, Heuristics.Sum([10, 20, 31], 24));
        Assert.Equal(60 * 25 / 3, Heuristics.SumKey([10, 20, 31], 24));
        Assert.Equal(60, Heuristics.SumKey([25], 24));
    }

    [Fact]
    public void Sum_keys_order_exactly_like_the_fractions()
    {
        // 7/2 = 3.5 < 11/3 = 3.67 although 7 < 11 does not say so by counts alone.
        var a = Heuristics.SumKey([20, 27], 24);     // (4 + 3) / 2
        var b = Heuristics.SumKey([20, 27, 28], 24); // (4 + 3 + 4) / 3
        Assert.True(a < b);
        Assert.Equal(Heuristics.Sum([20, 27], 24) < Heuristics.Sum([20, 27, 28], 24), a < b);
    }

    [Fact]
    public void The_mult_heuristic_rejects_targets_below_2()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Heuristics.Factors(1));
        Assert.Contains("got 1", e.Message);
    }

    [Fact]
    public void The_table_agrees_with_the_slow_functions_on_random_cases()
    {
        var rng = new Rng(11);
        for (var trial = 0; trial < 5000; trial++)
        {
            var target = rng.NextInt(2, trial % 10 == 0 ? 10_000 : 120);
            var count = rng.NextInt(1, 6);
            var nums = new long[count];
            for (var i = 0; i < count; i++) nums[i] = rng.NextInt(0, trial % 3 == 0 ? 20_000 : 150);
            Assert.Equal(Heuristics.Mult(nums, target), HeuristicTable.For(HeuristicKind.Mult, target).Key(nums));
            Assert.Equal(Heuristics.SumKey(nums, target), HeuristicTable.For(HeuristicKind.Sum, target).Key(nums));
            Assert.Equal(Heuristics.Sum(nums, target) * 60, Heuristics.SumKey(nums, target), 1e-9);
        }
    }
}
