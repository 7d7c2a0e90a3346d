// The data pipeline end to end through the command line: problems -> traces -> validate -> stats,
// byte-identical output for the same seed whatever the worker count.
using Apr.Testing;

namespace Apr.Cli.Tests;

public sealed class DataPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    [Slow]
    [Fact]
    public void Problems_traces_validate_and_stats_work_together()
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "300", "--seed", "5", "--out", F("train.jsonl")).ExitCode);
        var val = CliRunner.Run("data", "problems", "--count", "100", "--seed", "6", "--exclude", F("train.jsonl"), "--id-prefix", "val-", "--out", F("val.jsonl"));
        Assert.Equal(0, val.ExitCode);
        Assert.Contains("wrote 100 problems", val.Out);
        var trainKeys = File.ReadLines(F("train.jsonl")).Select(Key).ToHashSet();
        Assert.DoesNotContain(File.ReadLines(F("val.jsonl")).Select(Key), trainKeys.Contains);

        foreach (var method in new[] { "apr", "sosp" })
        {
            var traces = CliRunner.Run("data", "traces", "--problems", F("val.jsonl"), "--method", method, "--seed", "1", "--out", F($"{method}.jsonl"));
            Assert.Equal(0, traces.ExitCode);
            Assert.Equal(100, File.ReadLines(F($"{method}.jsonl")).Count());
            var validate = CliRunner.Run("data", "validate", F($"{method}.jsonl"));
            Assert.Equal(0, validate.ExitCode);
            Assert.StartsWith("100 passed, 0 failed", validate.Out);
            var stats = CliRunner.Run("data", "stats", F($"{method}.jsonl"), "--json", F($"{method}-stats.json"));
            Assert.Equal(0, stats.ExitCode);
            Assert.Contains("chosen tokens", stats.Out);
            Assert.DoesNotContain("grammar failures", stats.Out);
            Assert.Contains("\"chars_per_token\"", File.ReadAllText(F($"{method}-stats.json")));
        }
    }

    [Slow]
    [Fact]
    public void Depth_two_traces_carry_their_depth_and_pass_validate_stats_and_training_marks()
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "6", "--numbers", "5", "--seed", "5", "--out", F("p5.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p5.jsonl"), "--method", "apr", "--depth", "2", "--seed", "1", "--out", F("d2.jsonl")).ExitCode);
        var lines = File.ReadAllLines(F("d2.jsonl"));
        Assert.Contains("\"thread\":\"0.0.0\"", string.Concat(lines)); // children did spawn grandchildren
        Assert.All(lines, l => Assert.Contains("\"depth\":2,", l));
        Assert.Equal(Apr.Search.AprOptions.MaxDepth, Apr.Data.TraceRecord.MaxDepth); // the reader accepts every depth the solver writes
        Assert.StartsWith("6 passed, 0 failed", CliRunner.Run("data", "validate", F("d2.jsonl")).Out);
        var stats = CliRunner.Run("data", "stats", F("d2.jsonl"), "--context", "4096");
        Assert.Equal(0, stats.ExitCode);
        Assert.Contains("invalid 0", stats.Out);
        // Without the field a record is taken at depth 1, where a child may not spawn; --depth allows more.
        File.WriteAllLines(F("d2-bare.jsonl"), lines.Select(l => l.Replace("\"depth\":2,", "")));
        Assert.NotEqual(0, CliRunner.Run("data", "validate", F("d2-bare.jsonl")).ExitCode);
        Assert.StartsWith("6 passed, 0 failed", CliRunner.Run("data", "validate", F("d2-bare.jsonl"), "--depth", "2").Out);
        Assert.Contains("invalid 6", CliRunner.Run("data", "stats", F("d2-bare.jsonl"), "--context", "4096").Out);
        // Training reads and marks them at their depth: every call gets its chosen tokens.
        var weighting = Apr.Training.ChosenTokens.Weighting();
        var tokenizer = Apr.Tokenization.TraceTokenizer.Default;
        foreach (var call in Apr.Training.TraceCalls.Read(F("d2.jsonl")).Where(c => c.Thread.Count(ch => ch == '.') == 1).Take(20))
        {
            Assert.Equal(2, call.Depth);
            var prompt = tokenizer.Encode(call.Prompt);
            var tokens = new List<int> { 1 };
            tokens.AddRange(prompt);
            tokens.AddRange(tokenizer.Encode(call.Completion));
            tokens.Add(2);
            Assert.Contains(1f, weighting(call, tokens, prompt.Length));
        }
    }

    [Slow]
    [Fact]
    public void The_same_seed_gives_byte_identical_files_for_any_worker_count()
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "200", "--seed", "9", "--workers", "1", "--out", F("p1.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "200", "--seed", "9", "--workers", "3", "--out", F("p3.jsonl")).ExitCode);
        Assert.Equal(File.ReadAllBytes(F("p1.jsonl")), File.ReadAllBytes(F("p3.jsonl")));
        foreach (var method in new[] { "apr", "sosp" })
        {
            Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p1.jsonl"), "--method", method, "--seed", "4", "--workers", "1", "--out", F("t1.jsonl")).ExitCode);
            Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p1.jsonl"), "--method", method, "--seed", "4", "--workers", "3", "--out", F("t3.jsonl")).ExitCode);
            Assert.Equal(File.ReadAllBytes(F("t1.jsonl")), File.ReadAllBytes(F("t3.jsonl")));
            Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p1.jsonl"), "--method", method, "--seed", "5", "--out", F("t5.jsonl")).ExitCode);
            Assert.NotEqual(File.ReadAllBytes(F("t1.jsonl")), File.ReadAllBytes(F("t5.jsonl")));
        }
    }

    [Fact]
    public void A_false_claim_or_a_broken_line_fails_validate_stats_does_not_count_it_and_train_refuses_it()
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "6", "--seed", "3", "--out", F("p.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", "sosp", "--out", F("t.jsonl")).ExitCode);
        var lines = File.ReadAllLines(F("t.jsonl"));
        int unsolved = Array.FindIndex(lines, l => l.Contains("\"solved\":false", StringComparison.Ordinal));
        Assert.True(unsolved >= 0, "the seed should give an unsolved trace");
        lines[unsolved] = lines[unsolved].Replace("\"solved\":false", "\"solved\":true", StringComparison.Ordinal); // a claim the trace does not back
        File.WriteAllLines(F("bad.jsonl"), [.. lines[..2], "{\"id\": \"torn", .. lines[2..]]);

        var validate = CliRunner.Run("data", "validate", F("bad.jsonl"));
        Assert.Equal(1, validate.ExitCode);
        Assert.StartsWith($"{lines.Length - 1} passed, 2 failed", validate.Out); // the torn line and the false claim
        Assert.Contains($"{F("bad.jsonl")}:3: not valid JSON", validate.Out); // every bad line is listed, the check goes on
        Assert.Contains("the record says solved, but the trace's answer does not verify", validate.Out);

        File.WriteAllLines(F("claim.jsonl"), lines);
        var stats = CliRunner.Run("data", "stats", F("claim.jsonl"));
        Assert.Equal(0, stats.ExitCode);
        int solved = File.ReadLines(F("t.jsonl")).Count(l => l.Contains("\"solved\":true", StringComparison.Ordinal));
        Assert.Contains($"solved {solved} (", stats.Out); // not the record's own claim
        Assert.Contains("invalid 1", stats.Out);

        var train = CliRunner.Run("train", "--data", F("claim.jsonl"), "--out", F("run"), "--preset", "tiny", "--steps", "1", "--threads", "1");
        Assert.Equal(1, train.ExitCode);
        Assert.Contains($"record {unsolved + 1} (", Assert.Single(train.ErrLines));
        Assert.Contains("is not a valid trace", train.Err);
    }

    [Fact]
    public void The_reference_samples_validate_through_the_command_line()
    {
        foreach (var file in new[] { "sosp.jsonl", "apr.jsonl" })
        {
            var run = CliRunner.Run("data", "validate", Path.Combine(Apr.Testing.TestPaths.ReferenceSamples, file));
            Assert.Equal(0, run.ExitCode);
            Assert.StartsWith("50 passed, 0 failed", run.Out);
        }
    }

    [Fact]
    public void Conditioning_prefixes_are_written_on_request()
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "20", "--seed", "2", "--out", F("p.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", "apr", "--sub-call-budget", "--out", F("a.jsonl")).ExitCode);
        Assert.All(File.ReadLines(F("a.jsonl")), l => Assert.Contains("\"prompt\":\"Sub Call Budget: ", l));
        Assert.Equal(0, CliRunner.Run("data", "validate", F("a.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", "sosp", "--token-budget-bin", "64", "--out", F("s.jsonl")).ExitCode);
        foreach (var record in Apr.Data.TraceFile.Read(F("s.jsonl")))
        {
            var call = Assert.Single(record.Calls);
            var match = System.Text.RegularExpressions.Regex.Match(call.Prompt, "^Token Budget: ([0-9]+) Current State: ");
            Assert.True(match.Success, call.Prompt);
            var budget = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var tokens = Apr.Tokenization.TraceTokenizer.Default.CountTokens(call.Completion);
            Assert.Equal(0, budget % 64);
            Assert.InRange(budget - tokens, 0, 63);
        }
        Assert.Equal(0, CliRunner.Run("data", "validate", F("s.jsonl")).ExitCode);
    }

    [Fact]
    public void Budgeted_traces_with_the_exact_check_explore_reachable_states_first()
    {
        // 3-number problems: the root's successors are 2-number states, which --exact-upto 2 ranks by the check, so the
        // root's first operation (one of the best two, shuffled) rarely leads to a dead state; by the heuristic often.
        Assert.Equal(0, CliRunner.Run("data", "problems", "--numbers", "3", "--count", "40", "--seed", "3", "--out", F("p.jsonl")).ExitCode);
        int DeadFirsts(string file, params string[] extra)
        {
            var run = CliRunner.Run(["data", "traces", "--problems", F("p.jsonl"), "--method", "apr", "--seed", "1", "--budgets", "4000", "--trees", "2:1", "--repeats", "1", .. extra, "--out", F(file)]);
            Assert.True(run.ExitCode == 0, run.Err);
            Assert.Equal(0, CliRunner.Run("data", "validate", F(file)).ExitCode);
            return Apr.Data.TraceFile.Read(F(file)).Count(r =>
            {
                var first = System.Text.RegularExpressions.Regex.Match(r.Calls[0].Completion, @"Resulting Numbers: \[([^\]]*)\]");
                Assert.True(first.Success, r.Calls[0].Completion);
                long[] state = [.. first.Groups[1].Value.Split(", ").Select(x => long.Parse(x, System.Globalization.CultureInfo.InvariantCulture))];
                return !Apr.Countdown.ExhaustiveSolver.IsSolvable(r.Target, state);
            });
        }
        int heuristic = DeadFirsts("h.jsonl");
        int exact = DeadFirsts("x.jsonl", "--exact-upto", "2");
        Assert.True(heuristic >= 5, $"the heuristic's first operation is dead in only {heuristic} of 40: the test shows nothing");
        Assert.True(exact * 4 < heuristic, $"with the check {exact} dead first operations, by the heuristic {heuristic}");
    }

    private static string Key(string jsonLine)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(jsonLine);
        var nums = doc.RootElement.GetProperty("nums").EnumerateArray().Select(n => n.GetInt64()).Order();
        return $"{doc.RootElement.GetProperty("target").GetInt64()}:{string.Join(',', nums)}";
    }

    [Theory]
    [InlineData("answer", "[\"99-36=99\"]", "does not solve it")]            // wrong arithmetic
    [InlineData("answer", "[]", "does not solve it")]                         // solved, but no answer
    [InlineData("target", "1234", "is not the trace's root state")]          // target edited after the trace
    [InlineData("solved", "false", "the record says unsolved")]              // solved flag wrong the other way
    public void Validate_fails_a_record_whose_fields_disagree_with_its_trace(string field, string value, string expected)
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "40", "--seed", "5", "--out", F("p.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", "apr", "--seed", "1", "--out", F("t.jsonl")).ExitCode);
        var lines = File.ReadAllLines(F("t.jsonl"));
        int at = Array.FindIndex(lines, l => l.Contains("\"solved\":true"));
        var record = System.Text.Json.Nodes.JsonNode.Parse(lines[at])!.AsObject();
        record[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        lines[at] = record.ToJsonString();
        File.WriteAllLines(F("bad.jsonl"), lines);
        var run = CliRunner.Run("data", "validate", F("bad.jsonl"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"{lines.Length - 1} passed, 1 failed", run.Out);
        Assert.Contains(expected, run.Out);
    }
}
