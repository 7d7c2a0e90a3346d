using Apr.Core;

namespace Apr.Demonstrations.Tests;

public sealed class OrderedParallelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Results_come_in_input_order_and_do_not_depend_on_the_worker_count(int workers)
    {
        var items = Enumerable.Range(0, 10_007).ToArray();
        static ulong Work(int item, int index) { var rng = Rng.ForItem(42, (ulong)index); return rng.NextUInt64() ^ (ulong)item; }
        var expected = items.Select((x, i) => Work(x, i)).ToArray();
        var actual = OrderedParallel.Map(items, Work, workers, blockSize: 1000).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Zero_workers_is_an_error_naming_the_value()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OrderedParallel.Map(new[] { 1 }, (x, _) => x, 0));
        Assert.Contains("got 0", e.Message);
    }
}
