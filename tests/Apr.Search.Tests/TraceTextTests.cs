// TraceText (the fast line writers) against TraceFormat (the canonical writer), line by line, on
// random nodes with small and very large numbers.
using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Search.Tests;

public sealed class TraceTextTests
{
    [Fact]
    public void Every_fast_line_equals_the_canonical_line()
    {
        var rng = new Rng(3);
        for (var trial = 0; trial < 2000; trial++)
        {
            var big = trial % 4 == 0;
            long Draw(ref Rng r) => big ? (long)r.NextBelow(1_000_000_000_000UL) : r.NextInt(0, 150);
            var a = new NodeArena();
            var rootNums = new long[6];
            for (var i = 0; i < 6; i++) rootNums[i] = Draw(ref rng);
            a.Reset(rootNums, 0);
            var node = 0;
            var depth = rng.NextInt(0, 5);
            for (var d = 0; d < depth; d++)
            {
                var nums = new long[5 - d];
                for (var i = 0; i < nums.Length; i++) nums[i] = Draw(ref rng);
                var op = new Operation(Draw(ref rng), "+-*/"[rng.NextInt(0, 3)], Draw(ref rng), Draw(ref rng));
                node = a.Add(node, rng.NextInt(0, 120), op, 0, nums);
            }
            var target = Draw(ref rng);
            var id = a.IdOf(node);
            var numsOf = a.NumsOf(node).ToArray();
            var ops = a.OperationsOf(node);
            Same(TraceFormat.CurrentState(new StringBuilder(), target, numsOf, ops), sb => TraceText.CurrentState(sb, target, a, node));
            Same(TraceFormat.MovingTo(new StringBuilder(), id), sb => TraceText.MovingTo(sb, a, node));
            Same(TraceFormat.StartSubSearch(new StringBuilder(), depth + 1, id), sb => TraceText.StartSubSearch(sb, depth + 1, a, node));
            Same(TraceFormat.Verdict(new StringBuilder(), target, target), sb => TraceText.Verdict(sb, target, target));
            Same(TraceFormat.Verdict(new StringBuilder(), target + 1, target), sb => TraceText.Verdict(sb, target + 1, target));
            if (node == 0) continue;
            Same(TraceFormat.GeneratedNode(new StringBuilder(), id, target, numsOf, a.Op[node]), sb => TraceText.GeneratedNode(sb, target, a, node));
            Same(TraceFormat.Exploring(new StringBuilder(), a.Op[node], numsOf), sb => TraceText.Exploring(sb, a.Op[node], numsOf));
        }
    }

    [Fact]
    public void Ids_name_the_kept_successor_positions_from_the_root()
    {
        var a = new NodeArena();
        a.Reset([1, 2, 3], 0);
        var n1 = a.Add(0, 3, new Operation(1, '+', 2, 3), 0, [3, 3]);
        var n2 = a.Add(n1, 12, new Operation(3, '*', 3, 9), 0, [9]);
        Assert.Equal("0", a.IdOf(0));
        Assert.Equal("0,3", a.IdOf(n1));
        Assert.Equal("0,3,12", a.IdOf(n2));
        Assert.Equal(["1+2=3", "3*3=9"], a.OperationsOf(n2).Select(o => o.ToString()));
    }

    private static void Same(StringBuilder expected, Action<StringBuilder> write)
    {
        var sb = new StringBuilder();
        write(sb);
        Assert.Equal(expected.ToString(), sb.ToString());
    }
}
