// ProblemLimits: what it accepts at the edges and what it says about what it refuses.
using Apr.Countdown;

namespace Apr.Countdown.Tests;

public sealed class ProblemLimitsTests
{
    [Fact]
    public void The_edges_of_the_range_are_accepted()
    {
        Assert.Null(ProblemLimits.Check(1, [0, 1_000_000]));
        Assert.Null(ProblemLimits.Check(long.MaxValue, [1, 2, 3, 4, 5, 6]));
    }

    [Theory]
    [InlineData(0L, new long[] { 1, 2 }, "target 0 is out of range: it must be at least 1")]
    [InlineData(-5L, new long[] { 1, 2 }, "target -5 is out of range")]
    [InlineData(24L, new long[] { 1 }, "1 number is out of range: a problem has 2 to 6 numbers")]
    [InlineData(24L, new long[] { 1, 2, 3, 4, 5, 6, 7 }, "7 numbers are out of range: a problem has 2 to 6 numbers")]
    [InlineData(24L, new long[] { 1, 1_000_001 }, "number 1000001 is out of range: numbers must be 0 to 1,000,000")]
    [InlineData(24L, new long[] { -1, 3 }, "number -1 is out of range")]
    public void What_is_out_of_range_is_named_with_the_allowed_range(long target, long[] nums, string expected)
    {
        Assert.StartsWith(expected, ProblemLimits.Check(target, nums));
    }
}
