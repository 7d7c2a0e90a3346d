// Heuristics.Factors at the edges of 64 bits (it used to loop forever there: d * d overflowed), checked
// against known factorizations and against plain trial division on smaller targets; and the problem limits.
using Apr.Core;
using Apr.Countdown;

namespace Apr.Countdown.Tests;

public sealed class FactorsAtTheExtremesTests
{
    /// <summary>The slow, obviously correct form: every d in 2..target that divides it.</summary>
    private static long[] SlowFactors(long target) => [.. Enumerable.Range(2, (int)target - 1).Select(d => (long)d).Where(d => target % d == 0)];

    [Fact]
    public void Factors_of_long_MaxValue_are_all_96_divisors_but_1()
    {
        // 2^63 - 1 = 7^2 * 73 * 127 * 337 * 92737 * 649657: (2 + 1) * 2^5 = 96 divisors.
        var f = Heuristics.Factors(long.MaxValue);
        Assert.Equal(95, f.Length);
        Assert.Equal([7L, 49, 73, 127, 337], f.Take(5));
        Assert.Equal(long.MaxValue, f[^1]);
        AssertAreExactlyTheDivisors(long.MaxValue, f);
    }

    [Theory]
    [InlineData(9223372036854775783L, 1)]  // 2^63 - 25, the largest prime below 2^63
    [InlineData(9223372036854775806L, 15)] // 2^63 - 2 = 2 * 3 * 715827883 * 2147483647
    [InlineData(9223372036854775805L, 15)] // 2^63 - 3 = 5 * 23 * 53301701 * 1504703107
    [InlineData(4611685975477714963L, 3)]  // 2147483647 * 2147483629: two large primes
    [InlineData(9223371994482243049L, 2)]  // 3037000493^2: the square of a prime near 2^31.5
    public void Factors_near_2_to_the_63_end_with_every_divisor(long target, int expectedCount)
    {
        var f = Heuristics.Factors(target);
        Assert.Equal(expectedCount, f.Length);
        AssertAreExactlyTheDivisors(target, f);
    }

    [Fact]
    public void Factors_agree_with_trial_division()
    {
        var rng = new Rng(5);
        for (var i = 0; i < 300; i++)
        {
            long target = i < 100 ? i + 2 : rng.NextInt(2, 200_000);
            Assert.Equal(SlowFactors(target), Heuristics.Factors(target));
        }
    }

    [Fact]
    public void The_mult_heuristic_works_at_the_largest_target()
    {
        Assert.Equal(0, Heuristics.Mult([long.MaxValue], long.MaxValue));
        Assert.Equal(6, Heuristics.Mult([1], long.MaxValue)); // 1 is 6 below the smallest factor, 7
        Assert.Equal(0, Heuristics.Mult([49, 127, 92737], long.MaxValue));
    }

    private static void AssertAreExactlyTheDivisors(long target, long[] factors)
    {
        Assert.Equal(factors.Order(), factors);
        Assert.Equal(factors.Length, factors.Distinct().Count());
        foreach (var f in factors)
        {
            Assert.Equal(0, target % f);
            var co = target / f;
            if (co >= 2) Assert.Contains(co, factors);
        }
    }
}
