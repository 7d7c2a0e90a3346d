// CallCost worked by hand: totals count a resumed call's shared prefix once, the sequential chain takes
// the slowest child of each joined spawn (and nothing from a spawn whose join never came).
namespace Apr.Protocol.Tests;

public sealed class CallCostTests
{
    [Fact]
    public void A_joined_spawn_adds_its_slowest_child_and_the_shared_prefix_counts_once()
    {
        CallShape[] calls =
        [
            new("0", 10, 0, 50, 2),     // root: 10 prompt + 50 completion, starts 0.0 and 0.1
            new("0.0", 20, 0, 30, 0),
            new("0.1", 20, 0, 70, 0),
            new("0", 80, 55, 15, 0),    // resumed root: 80 prompt tokens of which 55 repeat its first call
        ];
        var cost = CallCost.Of(calls);
        Assert.Equal(10 + 50 + 20 + 30 + 20 + 70 + (80 - 55) + 15, cost.TotalTokens);
        Assert.Equal(50 + 70 + 15, cost.SequentialTokens);
        Assert.Equal(95, cost.LongestCall);
        Assert.Equal(1, cost.Spawns);
        Assert.Equal(2, cost.Children);
        Assert.Equal([0, 2, 3], CallCost.CriticalPath(calls));
    }

    [Fact]
    public void A_spawn_whose_join_never_came_adds_nothing_to_the_chain()
    {
        CallShape[] calls = [new("0", 10, 0, 50, 1), new("0.0", 20, 0, 300, 0)];
        var cost = CallCost.Of(calls);
        Assert.Equal(50, cost.SequentialTokens);
        Assert.Equal(380, cost.TotalTokens);
        Assert.Equal([0], CallCost.CriticalPath(calls));
    }

    [Fact]
    public void Nested_children_are_found_by_their_ids_in_any_listing_order()
    {
        CallShape[] calls =
        [
            new("0", 5, 0, 10, 1),
            new("0.0", 5, 0, 10, 1),
            new("0.0.0", 5, 0, 100, 0),
            new("0.0", 30, 10, 10, 0),
            new("0", 40, 10, 1, 0),
        ];
        var cost = CallCost.Of(calls);
        Assert.Equal(10 + (10 + 100 + 10) + 1, cost.SequentialTokens);
        Assert.Equal(2, cost.Spawns);
        Assert.Equal(CallCost.Of([calls[0], calls[4], calls[1], calls[3], calls[2]]).SequentialTokens, cost.SequentialTokens);
        Assert.Equal([0, 1, 2, 3, 4], CallCost.CriticalPath(calls).Order());
    }

    [Fact]
    public void The_critical_path_sums_to_the_sequential_tokens_and_takes_the_first_of_equal_children()
    {
        CallShape[] calls =
        [
            new("0", 10, 0, 50, 3),
            new("0.0", 20, 0, 40, 0),
            new("0.1", 20, 0, 70, 0),
            new("0.2", 20, 0, 70, 0),
            new("0", 80, 55, 15, 0),
        ];
        var path = CallCost.CriticalPath(calls);
        Assert.Equal([0, 2, 4], path);
        Assert.Equal(CallCost.Of(calls).SequentialTokens, path.Sum(i => (long)calls[i].CompletionTokens));
    }

    [Fact]
    public void No_calls_cost_nothing() => Assert.Equal(new CallCost(0, 0, 0, 0, 0), CallCost.Of([]));
}
