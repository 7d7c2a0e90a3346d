// OpenSet: pops by key, equal keys in insertion order; against a sorted list over random pushes.
using Apr.Core;

namespace Apr.Search.Tests;

public sealed class OpenSetTests
{
    [Fact]
    public void Pops_lowest_key_first_and_ties_in_insertion_order()
    {
        var rng = new Rng(9);
        for (var trial = 0; trial < 300; trial++)
        {
            var open = new OpenSet();
            var model = new List<(long Key, int Seq, int Node)>();
            var seq = 0;
            for (var step = 0; step < 200; step++)
            {
                if (model.Count > 0 && rng.NextInt(0, 2) == 0)
                {
                    var best = model.OrderBy(x => x.Key).ThenBy(x => x.Seq).First();
                    Assert.Equal(best.Node, open.Peek());
                    Assert.Equal(best.Node, open.Pop());
                    model.Remove(best);
                }
                else
                {
                    var key = (long)rng.NextInt(0, 8);
                    open.Push(key, step);
                    model.Add((key, seq++, step));
                }
                Assert.Equal(model.Count, open.Count);
            }
        }
    }
}
