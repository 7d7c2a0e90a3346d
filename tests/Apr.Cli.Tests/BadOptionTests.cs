// Every option of `apr data ...` given a bad value: one line on stderr that names the option and the
// value, a non-zero exit, and no output file.
namespace Apr.Cli.Tests;

public sealed class BadOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-cli-").FullName;
    private readonly string _problems;

    public BadOptionTests()
    {
        _problems = Path.Combine(_dir, "p.jsonl");
        File.WriteAllText(_problems, "{\"id\": \"a\", \"target\": 24, \"nums\": [2, 3, 4, 1]}\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out => Path.Combine(_dir, "out.jsonl");

    public static TheoryData<string, string> ProblemsCases => new()
    {
        { "--count 0", "--count must be between 1 and 10000000, got 0" },
        { "--count -3", "--count must be between 1 and 10000000, got -3" },
        { "--count many", "many" },
        { "--seed -1", "-1" },
        { "--numbers 7", "--numbers must be between 3 and 6, got 7" },
        { "--numbers 2", "--numbers must be between 3 and 6, got 2" },
        { "--target 50..10", "--target: the low end 50 is above the high end 10" },
        { "--target 1..10", "--target must lie within 2..1000000, got 1..10" },
        { "--target ten", "--target must be a range such as 1..5 or a single number, got 'ten'" },
        { "--range 5..x", "--range must be a range such as 1..5 or a single number, got '5..x'" },
        { "--workers 0", "--workers must be between 1 and 256, got 0" },
        { "--exclude /nonexistent/file.jsonl", "--exclude: file '/nonexistent/file.jsonl' does not exist" },
        { "--bogus 3", "--bogus" },
    };

    [Theory]
    [MemberData(nameof(ProblemsCases))]
    public void Data_problems_rejects_a_bad_value_in_one_line(string options, string expected)
    {
        var run = CliRunner.Run(["data", "problems", "--out", Out, .. options.Split(' ')]);
        AssertOneLineUsageError(run, expected);
    }

    public static TheoryData<string, string> TracesCases => new()
    {
        { "--method bfs", "bfs" },
        { "--beam 0..3", "--beam must lie within 1..64, got 0..3" },
        { "--beam 5..2", "--beam: the low end 5 is above the high end 2" },
        { "--child-beam-max 0", "--child-beam-max must be between 1 and 64, got 0" },
        { "--spawn-probability 1.5", "--spawn-probability must be a probability in [0, 1], got 1.5" },
        { "--dive-probability -0.1", "--dive-probability must be a probability in [0, 1], got -0.1" },
        { "--max-children 0", "--max-children must be between 1 and 64, got 0" },
        { "--depth 9", "--depth must be between 1 and 5, got 9" },
        { "--on-children-fail retry", "retry" },
        { "--heuristic best", "best" },
        { "--token-budget-bin 0", "--token-budget-bin must be between 1 and 1000000, got 0" },
        { "--workers 1000", "--workers must be between 1 and 256, got 1000" },
        { "--trees 2:2", "--trees and --hindsight apply to budget-labelled apr traces: give --budgets too" },
        { "--hindsight 0.5", "--trees and --hindsight apply to budget-labelled apr traces: give --budgets too" },
        { "--hindsight 2", "--hindsight must be a probability in [0, 1], got 2" },
        { "--budgets 2000 --trees 2:x", "--trees: a symbolic tree is BEAM:CHILD_BEAM, BEAM:CHILD_START_BEAM/CHILD_BEAM, and :DEPTH after either, 'e' after the depth for children that end when their own children fail, 'm' at the end for new states first (e.g. 2:2, 2:4/2, 2:2:2, 2:2:2e or 2:4/1m), got '2:x'" },
        { "--budgets 2000 --trees 2:2:2", "variant tree-b2c2d2 nests 2 levels, deeper than the records' depth 1" },
    };

    [Theory]
    [MemberData(nameof(TracesCases))]
    public void Data_traces_rejects_a_bad_value_in_one_line(string options, string expected)
    {
        var run = CliRunner.Run(["data", "traces", "--problems", _problems, "--out", Out, .. options.Split(' ')]);
        AssertOneLineUsageError(run, expected);
    }

    [Fact]
    public void Data_traces_rejects_a_prefix_that_does_not_fit_the_method()
    {
        var run = CliRunner.Run("data", "traces", "--problems", _problems, "--out", Out, "--method", "sosp", "--sub-call-budget");
        AssertOneLineUsageError(run, "the Sub Call Budget prefix applies to APR traces only");
    }

    [Fact]
    public void Data_traces_without_a_problems_file_names_the_missing_option()
    {
        var run = CliRunner.Run("data", "traces", "--out", Out);
        AssertOneLineUsageError(run, "--problems");
    }

    [Fact]
    public void A_malformed_problems_file_is_reported_with_its_line()
    {
        File.WriteAllText(_problems, "{\"id\": \"a\", \"target\": 24, \"nums\": [2, 3, 4, 1]}\n{\"target\": 5}\n");
        var run = CliRunner.Run("data", "traces", "--problems", _problems, "--out", Out);
        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrLines);
        Assert.Contains($"{_problems}:2: missing field 'nums'", run.Err);
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("stats")]
    public void Validate_and_stats_name_a_missing_file(string verb)
    {
        var run = CliRunner.Run("data", verb, Path.Combine(_dir, "missing.jsonl"));
        AssertOneLineUsageError(run, "missing.jsonl' does not exist");
    }

    [Theory]
    [InlineData("--show -1", "--show must be between 0 and 10000, got -1")]
    [InlineData("--depth 0", "--depth must be between 1 and 5, got 0")]
    public void Validate_rejects_a_bad_value_in_one_line(string options, string expected)
    {
        File.WriteAllText(Out, "");
        var run = CliRunner.Run(["data", "validate", Out, .. options.Split(' ')]);
        AssertOneLineUsageError(run, expected);
    }

    [Fact]
    public void Stats_rejects_a_bad_context()
    {
        File.WriteAllText(Out, "");
        var run = CliRunner.Run("data", "stats", Out, "--context", "1024,abc");
        AssertOneLineUsageError(run, "--context takes positive token counts, got 'abc'");
    }

    private void AssertOneLineUsageError(CliRun run, string expected)
    {
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("apr: error: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(Out) && new FileInfo(Out).Length > 0, "no output may be written on a usage error");
    }
}
