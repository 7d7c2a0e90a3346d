// The rest of apr's failure policy through the command line: no verb writes over one of its inputs;
// problems out of the supported range are refused with the place and the range; extreme targets do not
// hang; `solve` exits 1 without an answer; NaN and infinities are refused; a bad config.json is one line;
// unexpected exceptions are reported as bugs.
namespace Apr.Cli.Tests;

public sealed class FailureBehaviourTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-fail-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    private const string Problem = "{\"id\":\"a\",\"target\":24,\"nums\":[2,3,4,1]}\n";

    [Fact]
    public void Traces_and_problems_refuse_an_output_that_is_their_input()
    {
        File.WriteAllText(F("p.jsonl"), Problem);
        File.CreateSymbolicLink(F("link.jsonl"), F("p.jsonl"));
        foreach (var args in new[]
        {
            new[] { "data", "traces", "--problems", F("p.jsonl"), "--out", F("p.jsonl") },
            ["data", "traces", "--problems", F("p.jsonl"), "--out", Path.Combine(_dir, ".", "sub", "..", "p.jsonl")],
            ["data", "traces", "--problems", F("p.jsonl"), "--out", F("link.jsonl")],
            ["data", "problems", "--count", "5", "--exclude", F("p.jsonl"), "--out", F("p.jsonl")],
        })
        {
            var run = CliRunner.Run(args);
            Assert.Equal(2, run.ExitCode);
            Assert.Contains(" is also the --", Assert.Single(run.ErrLines));
            Assert.Equal(Problem, File.ReadAllText(F("p.jsonl")));
        }
    }

    [Fact]
    public void Stats_refuses_a_json_output_that_is_its_input()
    {
        File.WriteAllText(F("p.jsonl"), Problem);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--out", F("t.jsonl")).ExitCode);
        var before = File.ReadAllText(F("t.jsonl"));
        var stats = CliRunner.Run("data", "stats", F("t.jsonl"), "--json", F("t.jsonl"));
        Assert.Equal(2, stats.ExitCode);
        Assert.Equal(before, File.ReadAllText(F("t.jsonl")));
    }

    [Theory]
    [InlineData("{\"target\":0,\"nums\":[2,3]}", ":2: target 0 is out of range: it must be at least 1")]
    [InlineData("{\"target\":24,\"nums\":[1,2,3,4,5,6,7]}", ":2: 7 numbers are out of range: a problem has 2 to 6 numbers")]
    [InlineData("{\"target\":24,\"nums\":[1,2000000]}", ":2: number 2000000 is out of range: numbers must be 0 to 1,000,000")]
    public void A_problem_out_of_range_is_refused_naming_the_file_line_and_range(string line, string expected)
    {
        File.WriteAllText(F("p.jsonl"), Problem + line + "\n");
        var run = CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--out", F("t.jsonl"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"apr: error: {F("p.jsonl")}{expected}", Assert.Single(run.ErrLines));
        Assert.False(File.Exists(F("t.jsonl")));
    }

    [Theory]
    [InlineData("apr")]
    [InlineData("sosp")]
    public void Traces_for_targets_near_2_to_the_63_end(string method)
    {
        // Targets whose factor search overflowed (d * d) and looped forever: the largest prime below 2^63, and 2^63 - 1.
        File.WriteAllText(F("p.jsonl"), "{\"target\":9223372036854775783,\"nums\":[2,3,4,1]}\n{\"target\":9223372036854775807,\"nums\":[7,49,73]}\n");
        var run = CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", method, "--out", F("t.jsonl"), "--workers", "1");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal(2, File.ReadLines(F("t.jsonl")).Count());
    }

    [Theory]
    [InlineData("--target 0 --nums 2,3", "--target must be at least 1, got 0")]
    [InlineData("--target -5 --nums 2,3", "--target must be at least 1, got -5")]
    [InlineData("--target 24 --nums 1,2,3,4,5,6,7", "--nums: 7 numbers are out of range: a problem has 2 to 6 numbers")]
    [InlineData("--target 24 --nums 5", "--nums: 1 number is out of range: a problem has 2 to 6 numbers")]
    [InlineData("--target 24 --nums 1,2000000", "--nums: number 2000000 is out of range: numbers must be 0 to 1,000,000")]
    [InlineData("--target 24 --nums 1,2 --time-limit NaN", "--time-limit must be a finite number, got NaN")]
    [InlineData("--target 24 --nums 1,2 --temperature -Infinity", "-Infinity")]
    public void Solve_refuses_an_unsupported_problem_or_value_in_one_line(string options, string expected)
    {
        var run = CliRunner.Run(["solve", "--policy", "enumerate", .. options.Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.ErrLines));
    }

    [Fact]
    public void Solve_exits_1_when_it_finds_no_answer_and_0_when_it_does()
    {
        var none = CliRunner.Run("solve", "--policy", "enumerate", "--target", "27", "--nums", "0,0,0,0");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no answer", none.Out);
        Assert.Equal("", none.Err);
        var found = CliRunner.Run("solve", "--policy", "enumerate", "--target", "24", "--nums", "2,3,4,1");
        Assert.Equal(0, found.ExitCode);
        Assert.Contains("verified", found.Out);
    }

    [Theory]
    [InlineData("rl", "--kl NaN", "--kl must be a finite number, got NaN")]
    [InlineData("rl", "--latency-weight Infinity", "--latency-weight must be a finite number, got Infinity")]
    [InlineData("rl", "--temperature 0", "--temperature must be in (0, 100], got 0")]
    [InlineData("train", "--lr NaN", "--lr must be a finite number, got NaN")]
    [InlineData("train", "--batch-tokens 10000000", "--batch-tokens must be between 64 and 1000000, got 10000000")]
    [InlineData("problems", "--count 50000000", "--count must be between 1 and 10000000, got 50000000")]
    [InlineData("export", "--budget-unit 1000", "--budget-unit needs --budget-bins")]
    [InlineData("export", "--budget-unit 3000 --budget-bins 1000,2000", "the budget unit 3000 must be positive and divide every budget bin (1000,2000)")]
    [InlineData("eval", "--apr-budget-bins 1000,2500 --apr-budget-unit 1000", "the budget unit 1000 must be positive and divide every budget bin (1000,2500)")]
    [InlineData("eval", "--ranker no-such-ranker", "no-such-ranker': no such directory")]
    [InlineData("eval", "--exact-upto 1", "the exact check (--exact-upto) covers states of 2..6 numbers, or 0 for none; got 1")]
    [InlineData("eval", "--ranker no-such-ranker --symbolic-trees none", "--ranker ranks the symbolic trees of the budget sweep")]
    [InlineData("eval", "--ranker-sizes 3,4", "--ranker-sizes narrows a --ranker: give --ranker DIR too")]
    [InlineData("eval", "--value-model none --value-weight 2", "--value-weight weighs a value, and --value-model is 'none'")]
    [InlineData("eval", "--value-weight 0 --value-model x", "--value-weight must be in (0, 1000000], got 0")]
    [InlineData("eval", "--value-model no-such-ranker", "no-such-ranker': no such directory")]
    [InlineData("serve", "--value-model none --value-weight 2", "--value-weight weighs a value, and --value-model is 'none'")]
    [InlineData("rl", "--value-model none --value-weight 2", "--value-weight weighs a value, and --value-model is 'none'")]
    [InlineData("rl", "--value-model no-such-ranker", "no-such-ranker': no such directory")]
    [InlineData("serve", "--value-model none --value-exact-upto 2", "--value-exact-upto goes with a value, and --value-model is 'none'")]
    [InlineData("eval", "--value-exact-upto 0 --value-model models/ranker5-mlp", "--value-exact-upto must be between 1 and 2, got 0")]
    [InlineData("export", "--value-exact-upto 3 --value-model models/ranker5-mlp", "--value-exact-upto must be between 1 and 2, got 3")]
    [InlineData("traces", "--ranker no-such-ranker", "--ranker orders the solver variants of budget-labelled apr traces: give --budgets too")]
    [InlineData("traces", "--ranker-sizes 3", "--ranker-sizes narrows a --ranker: give --ranker DIR too")]
    [InlineData("traces", "--exact-upto 1", "the exact check (--exact-upto) covers states of 2..6 numbers, or 0 for none; got 1")]
    [InlineData("traces", "--exact-upto 2 --ranker models/ranker5-mlp", "--ranker orders the solver variants of budget-labelled apr traces: give --budgets too")]
    [InlineData("traces", "--exact-upto 2", "--exact-upto ranks the solver variants of budget-labelled apr traces: give --budgets too")]
    [InlineData("traces", "--budget-children", "--budget-children tells every thread the budget of budget-labelled apr traces: give --budgets too")]
    [InlineData("export", "--budget-children", "--budget-children tells the children of a model that reads its budget: give --budget-bins too")]
    [InlineData("rl-apr4", "--budget-children", "budget_children tells children the budget of a model that reads one: it needs budget_bins")]
    public void Numeric_options_refuse_non_finite_and_absurd_values(string verb, string options, string expected)
    {
        File.WriteAllText(F("p.jsonl"), Problem);
        string[] args = verb switch
        {
            "export" => ["export", "--from", Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "apr"), "--out", F("run"), "--method", "apr"],
            "eval" => ["eval", "--problems", F("p.jsonl"), "--method", "apr", "--sweep", "budget", "--out", F("run")],
            "rl" => ["rl", "--problems", F("p.jsonl"), "--out", F("rl")],
            "rl-apr4" => ["rl", "--problems", F("p.jsonl"), "--out", F("rl"), "--model", Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "apr4-rl")],
            "train" => ["train", "--data", F("p.jsonl"), "--out", F("run")],
            "traces" => ["data", "traces", "--problems", F("p.jsonl"), "--out", F("out.jsonl")],
            "serve" => ["serve", "--port", "0"],
            _ => ["data", "problems", "--out", F("out.jsonl")],
        };
        var run = CliRunner.Run([.. args, .. options.Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.ErrLines));
        Assert.False(Directory.Exists(F("rl")) || Directory.Exists(F("run")) || File.Exists(F("out.jsonl")));
    }

    [Fact]
    public void A_config_json_with_a_bad_field_is_one_line_naming_the_file()
    {
        Directory.CreateDirectory(F("m"));
        File.WriteAllText(F("m/config.json"), Apr.Model.ModelConfig.Tiny(1300).ToJson().Replace("\"vocab_size\": 1300", "\"vocab_size\": \"x\"", StringComparison.Ordinal));
        File.WriteAllText(F("m/model.safetensors"), "");
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("m"));
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith($"apr: error: cannot load the model: {F("m/config.json")}: ", line);
        Assert.Contains("$.vocab_size", line);
    }

    [Fact]
    public void Expected_failures_are_one_line_and_bugs_get_the_stack_trace_and_a_request_to_report()
    {
        var expected = new StringWriter { NewLine = "\n" };
        Assert.Equal(1, Cli.ReportFailure(new System.Text.Json.JsonException("bad json at x"), expected));
        Assert.Equal("apr: error: bad json at x\n", expected.ToString());
        var nested = new StringWriter { NewLine = "\n" };
        Assert.Equal(1, Cli.ReportFailure(new AggregateException(new FormatException("not a number")), nested));
        Assert.Equal("apr: error: not a number\n", nested.ToString());

        var bug = new StringWriter { NewLine = "\n" };
        Exception thrown;
        try { throw new NullReferenceException("oops"); }
        catch (NullReferenceException e) { thrown = e; }
        Assert.Equal(Cli.InternalError, Cli.ReportFailure(thrown, bug));
        var text = bug.ToString();
        Assert.StartsWith("apr: internal error: System.NullReferenceException: oops", text);
        Assert.Contains(" at ", text);
        Assert.EndsWith("apr: this is a bug in apr; please report it with the command line and the lines above\n", text);
    }
}
