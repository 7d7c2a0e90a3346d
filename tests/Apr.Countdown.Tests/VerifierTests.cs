// Verifier: hand-worked accept and reject cases with the exact messages.
using Apr.Countdown;

namespace Apr.Countdown.Tests;

public sealed class VerifierTests
{
    [Fact]
    public void Accepts_a_correct_path()
    {
        Assert.True(Verifier.Verify(42, [38, 30, 11, 44], ["30-11=19", "38/19=2", "44-2=42"]).Ok);
    }

    [Theory]
    [InlineData(new[] { "4*6=25" }, "step 1 '4*6=25' is wrong: 4*6 is 24")]
    [InlineData(new[] { "4*5=20" }, "step 1 '4*5=20' uses 5, which is not in [6]")]
    [InlineData(new[] { "4+6=10" }, "the numbers end as [10], not [24]")]
    [InlineData(new[] { "4-6=2" }, "step 1 '4-6=2' is not a legal operation")]
    [InlineData(new[] { "4*6" }, "operation '4*6' has no '='")]
    public void Rejects_with_the_first_problem_found(string[] ops, string message)
    {
        var v = Verifier.Verify(24, [4, 6], ops);
        Assert.False(v.Ok);
        Assert.Equal(message, v.Error);
    }

    [Fact]
    public void Each_use_removes_one_copy_of_a_number()
    {
        // [6, 4]: 6-4=2 uses both; 2*6=12 would need a second 6 (the reference's lax check allowed it).
        var v = Verifier.Verify(12, [6, 4], ["6-4=2", "2*6=12"]);
        Assert.False(v.Ok);
        Assert.Equal("step 2 '2*6=12' uses 6, which is not in []", v.Error);
    }
}
