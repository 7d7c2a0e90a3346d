using Apr.Countdown;
using Apr.Data;

namespace Apr.Data.Tests;

public sealed class ProblemFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Problems_round_trip_through_jsonl()
    {
        var problems = new[]
        {
            new CountdownProblem("p1", 27, [22, 26, 31, 53], [Operation.Parse("53-22=31"), Operation.Parse("31/31=1"), Operation.Parse("26+1=27")]),
            new CountdownProblem("p2", 10, [1, 2, 3, 4]),
        };
        var path = Path.Combine(_dir, "p.jsonl");
        ProblemFile.Write(path, problems);
        Assert.Equal(
            "{\"id\":\"p1\",\"target\":27,\"nums\":[22,26,31,53],\"solution\":[\"53-22=31\",\"31/31=1\",\"26+1=27\"]}",
            File.ReadLines(path).First());
        var back = ProblemFile.Read(path);
        Assert.Equal(2, back.Count);
        Assert.Equal(problems[0].Key, back[0].Key);
        Assert.Equal(["53-22=31", "31/31=1", "26+1=27"], back[0].Solution.Select(o => o.ToString()));
        Assert.Empty(back[1].Solution);
    }

    [Fact]
    public void Reference_problem_lines_are_read_with_their_field_names()
    {
        var p = ProblemFile.ParseLine("{\"nums\": [38, 30, 11, 44], \"target\": 42, \"solution\": [\"30-11=19\", \"38/19=2\", \"44-2=42\"], \"optimal_path\": \"...\", \"start_size\": 4}", "x:1", "line-1");
        Assert.Equal("line-1", p.Id);
        Assert.Equal(42, p.Target);
        Assert.True(Verifier.Verify(p.Target, p.Nums, p.Solution).Ok);
    }

    [Theory]
    [InlineData("{\"nums\": [1, 2]}", "missing field 'target'")]
    [InlineData("{\"target\": 5}", "missing field 'nums'")]
    [InlineData("{\"target\": 5, \"nums\": [1, \"x\"]}", "'nums' must hold integers, found \"x\"")]
    [InlineData("{\"target\": 5, \"nums\": [1, 99999999999999999999999]}", "'nums' must hold integers, found 99999999999999999999999")]
    [InlineData("{\"target\": -5, \"nums\": [1, 2]}", "target -5 is out of range: it must be at least 1")]
    [InlineData("{\"target\": 0, \"nums\": [1, 2]}", "target 0 is out of range: it must be at least 1")]
    [InlineData("{\"target\": 5, \"nums\": [1]}", "1 number is out of range: a problem has 2 to 6 numbers")]
    [InlineData("{\"target\": 5, \"nums\": [1, 2, 3, 4, 5, 6, 7]}", "7 numbers are out of range: a problem has 2 to 6 numbers")]
    [InlineData("{\"target\": 5, \"nums\": [1, 1000001]}", "number 1000001 is out of range: numbers must be 0 to 1,000,000")]
    [InlineData("{\"target\": 5, \"nums\": [-1, 2]}", "number -1 is out of range")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"target\": 5, ", "not valid JSON")]
    [InlineData("{\"target\": 5, \"nums\": [1, 4], \"solution\": [\"1+4\"]}", "operation '1+4' has no '='")]
    public void Bad_problem_lines_get_an_error_naming_the_place_and_the_value(string line, string expected)
    {
        var e = Assert.Throws<DataException>(() => ProblemFile.ParseLine(line, "file.jsonl:7", "line-7"));
        Assert.StartsWith("file.jsonl:7: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
