// ExhaustiveSolver: known answers (worked by hand and the reference generator's own solutions, which
// come from the same depth-first order), unsolvable cases, and agreement with a slow brute force.
using Apr.Core;
using Apr.Countdown;
using Apr.Testing;

namespace Apr.Countdown.Tests;

public sealed class ExhaustiveSolverTests
{
    [Fact]
    public void Two_numbers_use_the_first_operation_in_rule_order()
    {
        // (4, 6): 4+6=10, 4*6=24 -> found at the second operation.
        Assert.True(ExhaustiveSolver.TrySolve(24, [4, 6], out var solution));
        Assert.Equal(["4*6=24"], solution.Select(o => o.ToString()));
        // (6, 2): 6+2, 6*2, 6-2=4 -> subtraction written larger first.
        Assert.True(ExhaustiveSolver.TrySolve(4, [2, 6], out solution));
        Assert.Equal(["6-2=4"], solution.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData(42, new long[] { 38, 30, 11, 44 }, "30-11=19 38/19=2 44-2=42")]
    [InlineData(71, new long[] { 67, 13, 82, 76 }, "67+76=143 143/13=11 82-11=71")]
    [InlineData(17, new long[] { 12, 9, 6, 37 }, "12-6=6 9*6=54 54-37=17")]
    [InlineData(37, new long[] { 17, 62, 79, 3 }, "62-17=45 79+3=82 82-45=37")]
    [InlineData(92, new long[] { 22, 46, 84, 73 }, "22*46=1012 84-73=11 1012/11=92")]
    [InlineData(19, new long[] { 17, 7, 65, 4 }, "65-17=48 48/4=12 7+12=19")]
    [InlineData(86, new long[] { 79, 14, 80, 99 }, "79+14=93 80+99=179 179-93=86")]
    [InlineData(65, new long[] { 41, 82, 22, 41 }, "82/41=2 22+41=63 2+63=65")]
    public void Finds_the_reference_generators_solution(long target, long[] nums, string expected)
    {
        Assert.True(ExhaustiveSolver.TrySolve(target, nums, out var solution));
        Assert.Equal(expected, string.Join(' ', solution));
        Assert.True(Verifier.Verify(target, nums, solution).Ok);
    }

    [Theory]
    [InlineData(100, new long[] { 1, 1, 1 })]   // at most (1+1)+1 = 3
    [InlineData(7, new long[] { 2, 2 })]        // 4, 4, 0, 1
    [InlineData(99, new long[] { 2, 3, 5 })]    // products and sums of 2 3 5 never reach 99
    public void Reports_unsolvable_problems(long target, long[] nums)
    {
        Assert.False(ExhaustiveSolver.IsSolvable(target, nums));
        Assert.False(ExhaustiveSolver.TrySolve(target, nums, out var solution));
        Assert.Empty(solution);
    }

    [Slow]
    [Fact]
    public void Agrees_with_a_slow_brute_force_on_random_problems()
    {
        var rng = new Rng(5);
        var solvable = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var count = rng.NextInt(2, 4);
            var nums = new long[count];
            for (var i = 0; i < count; i++) nums[i] = rng.NextInt(1, 30);
            var target = rng.NextInt(2, 60);
            var slow = SlowSolvable(target, [.. nums]);
            Assert.Equal(slow, ExhaustiveSolver.IsSolvable(target, nums));
            Assert.Equal(slow, ExhaustiveSolver.TrySolve(target, nums, out var solution));
            if (!slow) continue;
            solvable++;
            Assert.True(Verifier.Verify(target, nums, solution).Ok, string.Join(' ', solution));
        }
        Assert.InRange(solvable, 300, 2900);   // both outcomes are exercised
    }

    // Any two numbers, any order, all four operations with the exact rules; no shared code with the solver.
    private static bool SlowSolvable(long target, List<long> nums)
    {
        if (nums.Count == 1) return nums[0] == target;
        for (var i = 0; i < nums.Count; i++)
        {
            for (var j = 0; j < nums.Count; j++)
            {
                if (i == j) continue;
                long a = nums[i], b = nums[j];
                var results = new List<long> { a + b, a * b };
                if (a >= b) results.Add(a - b);
                if (b != 0 && a % b == 0) results.Add(a / b);
                var rest = nums.Where((_, k) => k != i && k != j).ToList();
                foreach (var r in results)
                    if (SlowSolvable(target, [.. rest, r])) return true;
            }
        }
        return false;
    }
}
