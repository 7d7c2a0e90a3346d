// Percentiles by nearest rank (hand-worked), and the shared JSON options: snake_case names, readable
// trace characters (< > ' + are not escaped).
using System.Text.Json;

namespace Apr.Core.Tests;

public sealed class PercentilesAndJsonTests
{
    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        // Sorted 1..20: p50 is the 10th value, p95 the 19th.
        var p = Percentiles.Of([.. Enumerable.Range(1, 20).Reverse().Select(i => (double)i)]);
        Assert.Equal(new Percentiles(20, 10.5, 10, 19, 20), p);
        Assert.Equal(new Percentiles(1, 7, 7, 7, 7), Percentiles.Of([7.0]));
        Assert.Equal(new Percentiles(0, 0, 0, 0, 0), Percentiles.Of([]));
    }

    [Fact]
    public void The_serializer_writes_snake_case_and_leaves_trace_characters_readable()
    {
        var json = JsonSerializer.Serialize(new { LongestCall = "Moving to Node #0 <'13+2=15'>" }, Json.Serializer);
        Assert.Equal("{\n  \"longest_call\": \"Moving to Node #0 <'13+2=15'>\"\n}", json.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_writer_leaves_trace_characters_readable()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Json.Writer)) w.WriteStringValue("a<b>+'c'");
        Assert.Equal("\"a<b>+'c'\"", System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
