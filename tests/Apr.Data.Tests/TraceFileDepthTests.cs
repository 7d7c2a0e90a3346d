// A trace record's APR depth: written as "depth" only when above 1 (depth-1 files keep their bytes), read
// back, and refused with file:line when it is not an integer in 1..TraceRecord.MaxDepth.
using Apr.Protocol;

namespace Apr.Data.Tests;

public sealed class TraceFileDepthTests
{
    private static readonly TraceRecord Record = new("p1", 24, [2, 3, 4, 1], SearchMethod.Apr, false, [],
        [new ThreadCall("0", null, "Moving to Node #0\n", "x\n")]);

    [Fact]
    public void Depth_is_written_only_above_one_and_read_back()
    {
        var one = TraceFile.ToJsonLine(Record);
        Assert.DoesNotContain("depth", one);
        Assert.Equal(1, TraceFile.ParseLine(one, "t.jsonl:1", "x").Depth);
        var two = TraceFile.ToJsonLine(Record with { Depth = 2 });
        Assert.Contains("\"answer\":[],\"depth\":2,\"calls\"", two);
        Assert.Equal(2, TraceFile.ParseLine(two, "t.jsonl:1", "x").Depth);
        Assert.Equal(two, TraceFile.ToJsonLine(TraceFile.ParseLine(two, "t.jsonl:1", "x")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("\"2\"")]
    [InlineData("1.5")]
    public void A_bad_depth_is_an_error_naming_the_line(string depth)
    {
        var line = TraceFile.ToJsonLine(Record with { Depth = 2 }).Replace("\"depth\":2", $"\"depth\":{depth}");
        var e = Assert.Throws<DataException>(() => TraceFile.ParseLine(line, "t.jsonl:7", "x"));
        Assert.Equal($"t.jsonl:7: 'depth' must be an integer in 1..5, found {depth}", e.Message);
    }
}
