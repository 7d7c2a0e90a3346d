// KnownStates: states are multisets (the order of the numbers does not matter), a copy is independent of its source,
// and a union adds what the other knew.
namespace Apr.Countdown.Tests;

public sealed class KnownStatesTests
{
    [Fact]
    public void A_state_is_known_whatever_the_order_of_its_numbers_and_a_copy_is_independent()
    {
        var known = new KnownStates();
        Assert.True(known.Add([53, 22, 31]));
        Assert.False(known.Add([22, 31, 53]));
        Assert.True(known.Contains([31, 53, 22]));
        Assert.True(known.Contains(KnownStates.Key([53, 31, 22])));
        Assert.Equal("22,31,53", KnownStates.Key([53, 22, 31]));
        Assert.False(known.Contains([22, 31])); // a sub-multiset is another state
        Assert.False(known.Contains([22, 31, 53, 53]));

        var child = known.Copy();
        child.Add([1, 2]);
        Assert.False(known.Contains([1, 2]));
        Assert.Equal(1, known.Count);
        known.UnionWith(child);
        Assert.True(known.Contains([2, 1]));
        Assert.Equal(2, known.Count);
    }
}
