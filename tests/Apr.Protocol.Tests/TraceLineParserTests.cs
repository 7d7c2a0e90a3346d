using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Protocol.Tests;

public sealed class TraceLineParserTests
{
    private static string W(Func<StringBuilder, StringBuilder> write) => write(new StringBuilder()).ToString();

    public static TheoryData<string> CanonicalLines()
    {
        var op = new Operation(53, '-', 22, 31);
        return new TheoryData<string>
        {
            W(sb => TraceFormat.CurrentState(sb, 27, [22, 26, 31, 53], [])),
            W(sb => TraceFormat.CurrentState(sb, 27, [26, 31, 31], [op, new Operation(31, '/', 31, 1)])),
            W(sb => TraceFormat.Exploring(sb, op, [26, 31, 31])),
            W(sb => TraceFormat.GeneratedNode(sb, "0,1", 27, [26, 31, 31], op)),
            W(sb => TraceFormat.Verdict(sb, 27, 27)),
            W(sb => TraceFormat.Verdict(sb, 26, 27)),
            W(sb => TraceFormat.MovingTo(sb, "0,12,3")),
            W(sb => TraceFormat.NoSolution(sb)),
            W(sb => TraceFormat.StartSubSearch(sb, 2, "0,1,0")),
            W(sb => TraceFormat.ExitSubSearch(sb, 1)),
            W(sb => TraceFormat.SubSearchFailed(sb)),
            W(sb => TraceFormat.Line(sb, TraceFormat.CallingSubSearches)),
            W(sb => TraceFormat.SpawnChild(sb, 3, 1, "0,3")),
            W(sb => TraceFormat.Line(sb, TraceFormat.EndCallingSubSearches)),
            W(sb => TraceFormat.Line(sb, TraceFormat.SubSearches)),
            W(sb => TraceFormat.JoinChild(sb, true, 1, 1, "0,1")),
            W(sb => TraceFormat.JoinChild(sb, false, 0, 2, "0,1,4")),
            W(sb => TraceFormat.Line(sb, TraceFormat.EndSubSearches)),
            W(sb => TraceFormat.MovingTo(TraceFormat.SubCallBudget(sb, 8), "0")),
            W(sb => TraceFormat.CurrentState(TraceFormat.TokenBudget(sb, 1024), 27, [1, 2], [])),
            W(sb => TraceFormat.CurrentState(sb, 0, [0, 0], [new Operation(0, '*', 5, 0)])),
        };
    }

    [Theory]
    [MemberData(nameof(CanonicalLines))]
    public void Every_line_kind_round_trips_through_the_canonical_writer(string line)
    {
        var parsed = TraceLineParser.Parse(line);
        Assert.Equal(line, parsed.Write());
        Assert.Equal(line, TraceLineParser.Parse(line.TrimEnd('\n')).Write());
    }

    [Fact]
    public void Parsed_fields_are_the_written_ones()
    {
        var e = Assert.IsType<TraceLine.Exploring>(TraceLineParser.Parse("Exploring Operation: 53-22=31, Resulting Numbers: [26, 31, 31]"));
        Assert.Equal(new Operation(53, '-', 22, 31), e.Operation);
        Assert.Equal([26L, 31, 31], e.Resulting);
        var g = Assert.IsType<TraceLine.GeneratedNode>(TraceLineParser.Parse("Generated Node #0,1: 27:[26, 31, 31] Operation: 53-22=31"));
        Assert.Equal(("0,1", 27L), (g.NodeId, g.Target));
        var s = Assert.IsType<TraceLine.SpawnChild>(TraceLineParser.Parse("<Start Sub Search 4 at level 2> Moving to Node #0,0,3"));
        Assert.Equal((4, 2, "0,0,3"), (s.Index, s.Level, s.NodeId));
        var c = Assert.IsType<TraceLine.Conditioned>(TraceLineParser.Parse("Sub Call Budget: 6 Moving to Node #0"));
        Assert.Equal((ConditionKind.SubCallBudget, 6), (c.Kind, c.Value));
        Assert.IsType<TraceLine.MovingTo>(c.Line);
        Assert.False(Assert.IsType<TraceLine.Verdict>(TraceLineParser.Parse("26,27 unequal: No Solution")).Equal);
    }

    [Fact]
    public void Every_line_of_every_reference_sample_round_trips()
    {
        var lines = 0;
        foreach (var sample in ReferenceSamples.Sos.Concat(ReferenceSamples.Apr))
            foreach (var call in sample.Tree.Calls)
                foreach (var line in (call.Prompt + call.Completion).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.Equal(line + "\n", TraceLineParser.Parse(line).Write());
                    lines++;
                }
        Assert.True(lines > 10_000, $"only {lines} lines");
    }

    [Fact]
    public void Random_lines_round_trip()
    {
        var rng = new Rng(3);
        for (var i = 0; i < 2000; i++)
        {
            var nums = Enumerable.Range(0, rng.NextInt(1, 4)).Select(_ => (long)rng.NextInt(0, 100_000)).ToArray();
            var succ = Successor.All([.. nums, rng.NextInt(0, 999)]);
            var s = succ[(int)rng.NextBelow((ulong)succ.Count)];
            var id = string.Join(',', new[] { "0" }.Concat(Enumerable.Range(0, rng.NextInt(0, 3)).Select(_ => rng.NextInt(0, 20).ToString())));
            foreach (var line in new[]
            {
                W(sb => TraceFormat.Exploring(sb, s.Operation, s.Numbers)),
                W(sb => TraceFormat.GeneratedNode(sb, id, rng.NextInt(0, 100), s.Numbers, s.Operation)),
                W(sb => TraceFormat.CurrentState(sb, 5, s.Numbers, [s.Operation, s.Operation])),
            })
                Assert.Equal(line, TraceLineParser.Parse(line).Write());
        }
    }

    [Theory]
    [InlineData("hello world", ProtocolErrorKind.MalformedLine, "hello world")]
    [InlineData("", ProtocolErrorKind.MalformedLine, "''")]
    [InlineData("Current State: 27:[99999999999999999999], Operations: []", ProtocolErrorKind.NumberOverflow, "99999999999999999999")]
    [InlineData("Exploring Operation: 99999999999999999999+1=3, Resulting Numbers: [3]", ProtocolErrorKind.NumberOverflow, "99999999999999999999")]
    [InlineData("<Start Sub Search 99999999999 at level 1> Moving to Node #0,1", ProtocolErrorKind.NumberOverflow, "99999999999")]
    [InlineData("Exploring Operation: 53-22=31, Resulting Numbers: [26, 31, 31", ProtocolErrorKind.MalformedLine, "']'")]
    [InlineData("Moving to Node #0,01", ProtocolErrorKind.MalformedLine, "'01'")]
    [InlineData("Moving to Node #1,2", ProtocolErrorKind.MalformedLine, "Moving to Node #1,2")]
    [InlineData("Moving to Node #0,1 ", ProtocolErrorKind.MalformedLine, "' '")]
    [InlineData("Exploring Operation: 53%22=31, Resulting Numbers: [1]", ProtocolErrorKind.MalformedLine, "53%22")]
    [InlineData("5,6 equal: Goal Reached", ProtocolErrorKind.BadArithmetic, "5 equals 6")]
    [InlineData("6,6 unequal: No Solution", ProtocolErrorKind.BadArithmetic, "6 is unequal to 6")]
    [InlineData("Current State: 27:[1,2], Operations: []", ProtocolErrorKind.MalformedLine, "[1,2]")]
    public void Malformed_lines_are_rejected_with_the_line_quoted(string line, ProtocolErrorKind kind, string mentioned)
    {
        var e = Assert.Throws<ProtocolException>(() => TraceLineParser.Parse(line));
        Assert.Equal(kind, e.Kind);
        Assert.Contains(mentioned, e.Message);
    }
}
