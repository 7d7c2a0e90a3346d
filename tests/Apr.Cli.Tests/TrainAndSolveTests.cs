// `apr train` and `apr solve` through the command line: bad values get one-line errors; a tiny model
// trains, resumes, and solves a problem with verified arithmetic under guided decoding; it is evaluated,
// exported, improved by a step of RL and exported again.
using Apr.Testing;

namespace Apr.Cli.Tests;

public sealed class TrainAndSolveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData("--steps 0", "--steps must be between 1 and 10000000, got 0")]
    [InlineData("--preset huge", "huge")]
    [InlineData("--loss-on prompts", "prompts")]
    [InlineData("--lr 2", "--lr must be in (0, 1), got 2")]
    [InlineData("--batch-tokens 10", "--batch-tokens must be between 64 and 1000000, got 10")]
    [InlineData("--threads 0", "--threads must be between 1 and 256, got 0")]
    public void Train_rejects_a_bad_value_in_one_line(string options, string expected)
    {
        File.WriteAllText(F("t.jsonl"), "");
        var run = CliRunner.Run(["train", "--data", F("t.jsonl"), "--out", F("run"), .. options.Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(F("run")));
    }

    [Fact]
    public void Train_names_a_missing_data_file()
    {
        var run = CliRunner.Run("train", "--data", F("missing.jsonl"), "--out", F("run"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing.jsonl' does not exist", Assert.Single(run.ErrLines));
    }

    [Fact]
    public void Solve_with_a_missing_model_says_so_in_one_line()
    {
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("no-model-here"));
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("apr: error: cannot load the model", line);
        Assert.Contains("no-model-here", line);
    }

    [Slow]
    [Fact]
    public void A_tiny_model_trains_resumes_and_solves_with_exact_arithmetic()
    {
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "60", "--seed", "3", "--out", F("p.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", "sosp", "--out", F("t.jsonl")).ExitCode);
        var first = CliRunner.Run("train", "--data", F("t.jsonl"), "--out", F("run"), "--preset", "tiny", "--steps", "6",
            "--batch-tokens", "2048", "--warmup", "2", "--checkpoint-interval", "3", "--val-interval", "3", "--loss-on", "chosen", "--threads", "1");
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.Contains("trained 6 steps", first.Out);
        var resumed = CliRunner.Run("train", "--data", F("t.jsonl"), "--out", F("run"), "--preset", "tiny", "--steps", "8",
            "--batch-tokens", "2048", "--warmup", "2", "--resume", "--loss-on", "chosen", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        Assert.Contains("trained 8 steps", resumed.Out);
        Assert.True(File.Exists(Path.Combine(F("run"), "metrics.jsonl")));
        Assert.True(File.Exists(Path.Combine(F("run"), "loss.png")));

        var solve = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("run"), "--method", "sosp", "--json", "--threads", "1");
        Assert.True(solve.ExitCode is 0 or 1, solve.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(solve.Out);
        Assert.True(doc.RootElement.TryGetProperty("correct", out var correct));
        Assert.Equal(correct.GetBoolean() ? 0 : 1, solve.ExitCode); // 1 = no verified answer
        // Whatever the (barely trained) model chose, an answer it reports must verify: the grammar computes.
        if (doc.RootElement.GetProperty("answer").ValueKind == System.Text.Json.JsonValueKind.Array)
            Assert.True(correct.GetBoolean());

        var eval = CliRunner.Run("eval", "--problems", F("p.jsonl"), "--model", F("run"), "--method", "sosp", "--limit", "3", "--sweep", "greedy,latency,unguided",
            "--latency-limit", "2", "--unguided-limit", "2", "--context", "256", "--threads", "1", "--out", F("eval"));
        Assert.True(eval.ExitCode == 0, eval.Err);
        Assert.Contains("sosp-model-latency", eval.Out);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(F("eval"), "summary.json")));
        var names = summary.RootElement.GetProperty("conditions").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("sosp-model", names);
        Assert.Contains("sosp-model-unguided", names);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(F("eval"), "records", "sosp-model.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(F("eval"), "report.md")));
        Assert.True(File.Exists(Path.Combine(F("eval"), "latency.png")));

        File.WriteAllText(F("recipe.txt"), "# how\n./apr train --preset tiny\n");
        var export = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny"), "--method", "sosp", "--recipe", F("recipe.txt"), "--eval", Path.Combine(F("eval"), "summary.json"));
        Assert.True(export.ExitCode == 0, export.Err);
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(F("models/tiny/manifest.json")));
        var m = manifest.RootElement;
        Assert.Equal(8, m.GetProperty("training").GetProperty("steps").GetInt32());
        Assert.Equal("./apr train --preset tiny", m.GetProperty("training").GetProperty("commands")[0].GetString());
        var weights = m.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "model.safetensors");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(F("models/tiny/model.safetensors")))), weights.GetProperty("sha256").GetString());
        Assert.Equal(summary.RootElement.GetProperty("conditions")[0].GetProperty("accuracy").GetDouble(), m.GetProperty("accuracy").GetProperty("accuracy").GetDouble());
        Assert.False(File.Exists(F("models/tiny/optimizer.safetensors")));
        var again = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny"), "--method", "sosp", "--json", "--threads", "1");
        Assert.True(again.ExitCode is 0 or 1, again.Err);

        // RL from the exported model under budgets, then its export: the manifest says the steps are the RL run's, and what prefix it reads.
        var rl = CliRunner.Run("rl", "--model", F("models/tiny"), "--method", "sosp", "--problems", F("p.jsonl"), "--val-problems", F("p.jsonl"), "--val-limit", "2",
            "--steps", "1", "--problems-per-step", "2", "--group", "2", "--context", "256", "--threads", "1", "--out", F("rl"), "--budgets", "200,400");
        Assert.True(rl.ExitCode == 0, rl.Err);
        var rlExport = CliRunner.Run("export", "--from", F("rl"), "--out", F("models/tiny-rl"), "--method", "sosp", "--token-budget-bin", "256");
        Assert.True(rlExport.ExitCode == 0, rlExport.Err);
        using var rlManifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(F("models/tiny-rl/manifest.json")));
        var training = rlManifest.RootElement.GetProperty("training");
        Assert.Equal("rl", training.GetProperty("stage").GetString());
        Assert.Equal(1, training.GetProperty("steps").GetInt32());
        Assert.InRange(training.GetProperty("final_rl_validation_accuracy").GetDouble(), 0, 1);
        Assert.Equal(new Apr.Inference.ModelConditioning(null, 256), Apr.Inference.ModelConditioning.Read(F("models/tiny-rl")));
        Assert.Equal(Apr.Inference.ModelConditioning.None, Apr.Inference.ModelConditioning.Read(F("models/tiny")));

        // A model exported with a value is decoded with it by default; --value-model none turns it off.
        var ranker = Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "ranker5-mlp");
        var valued = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-v"), "--method", "sosp", "--value-model", ranker, "--value-weight", "8");
        Assert.True(valued.ExitCode == 0, valued.Err);
        var linked = Apr.Inference.ModelConditioning.Read(F("models/tiny-v"));
        Assert.Equal(Path.GetFullPath(ranker), linked.ValueModel);
        Assert.Equal(8, linked.ValueWeight);
        var guided = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-v"), "--method", "sosp", "--threads", "1");
        Assert.True(guided.ExitCode is 0 or 1, guided.Err);
        Assert.Contains($"value guide: {Path.GetRelativePath(Environment.CurrentDirectory, ranker)} (weight 8)", guided.Out);
        var off = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-v"), "--method", "sosp", "--threads", "1", "--value-model", "none");
        Assert.True(off.ExitCode is 0 or 1, off.Err);
        Assert.DoesNotContain("value guide", off.Out);
        // --value-exact-upto goes to the manifest and to the guide; out of range, or without a value, it is a usage error.
        var exact = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-x"), "--method", "sosp", "--value-model", ranker, "--value-exact-upto", "2");
        Assert.True(exact.ExitCode == 0, exact.Err);
        Assert.Equal(2, Apr.Inference.ModelConditioning.Read(F("models/tiny-x")).ValueExactUpTo);
        var exactRun = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-x"), "--method", "sosp", "--threads", "1");
        Assert.True(exactRun.ExitCode is 0 or 1, exactRun.Err);
        Assert.Contains("(weight 64; states of at most 2 numbers checked exactly)", exactRun.Out);
        var tooFar = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-x"), "--method", "sosp", "--threads", "1", "--value-exact-upto", "3");
        Assert.Equal(2, tooFar.ExitCode);
        Assert.Contains("--value-exact-upto must be between 1 and 2, got 3", tooFar.Err);
        var noValue = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-x"), "--method", "sosp", "--threads", "1", "--value-model", "none", "--value-exact-upto", "2");
        Assert.Equal(2, noValue.ExitCode);
        Assert.Contains("--value-exact-upto goes with a value, and --value-model is 'none'", noValue.Err);
        var exportNoValue = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-y"), "--method", "sosp", "--value-exact-upto", "2");
        Assert.Equal(2, exportNoValue.ExitCode);
        Assert.Contains("--value-exact-upto goes with a --value-model", exportNoValue.Err);
        var revisitNoValue = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-y"), "--method", "sosp", "--value-revisit", "0.5");
        Assert.Equal(2, revisitNoValue.ExitCode);
        Assert.Contains("--value-revisit goes with a --value-model", revisitNoValue.Err);
        // --value-model-by-size: another value for problems of N numbers, to the manifest (relative to --out) and to solve,
        // which says which value decoded the problem; malformed sizes are usage errors naming them.
        var ranker4 = Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "ranker4-mlp");
        var sized = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-s"), "--method", "sosp", "--value-model", ranker, "--value-model-by-size", $"4={ranker4}", "--value-weight", "8", "--value-revisit", "0.5");
        Assert.True(sized.ExitCode == 0, sized.Err);
        using (var sizedManifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(F("models/tiny-s/manifest.json"))))
        {
            Assert.Equal(Path.GetRelativePath(F("models/tiny-s"), ranker4), sizedManifest.RootElement.GetProperty("value_model_by_size").GetProperty("4").GetString());
            Assert.Equal(0.5, sizedManifest.RootElement.GetProperty("value_revisit").GetDouble());
        }
        var sizedRun = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1");
        Assert.True(sizedRun.ExitCode is 0 or 1, sizedRun.Err);
        Assert.Contains($"value guide: {Path.GetRelativePath(Environment.CurrentDirectory, ranker4)} (weight 8; the value for 4 numbers; states a thread knows were searched x 0.5)", sizedRun.Out);
        var threeRun = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1");
        Assert.True(threeRun.ExitCode is 0 or 1, threeRun.Err);
        Assert.Contains($"value guide: {Path.GetRelativePath(Environment.CurrentDirectory, ranker)} (weight 8; states a thread knows were searched x 0.5)", threeRun.Out);
        var overridden = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1", "--value-model", ranker);
        Assert.True(overridden.ExitCode is 0 or 1, overridden.Err);
        Assert.Contains($"value guide: {Path.GetRelativePath(Environment.CurrentDirectory, ranker)} (weight 64)", overridden.Out); // a value on the command line is used as given
        // A ranker by state size (Rankers) is a value like any other; a malformed one is a usage error naming the problem.
        Directory.CreateDirectory(F("by-state"));
        File.WriteAllText(F("by-state/ranker.json"), $$"""{"task": "reachability", "network": "by-state-size", "parts": [{"sizes": [3], "ranker": {{System.Text.Json.JsonSerializer.Serialize(ranker4)}}}, {"sizes": [2], "ranker": {{System.Text.Json.JsonSerializer.Serialize(ranker)}}}]}""");
        var byState = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1", "--value-model", F("by-state"));
        Assert.True(byState.ExitCode is 0 or 1, byState.Err);
        Assert.Contains($"value guide: {Path.GetRelativePath(Environment.CurrentDirectory, F("by-state"))} (weight 64)", byState.Out);
        File.WriteAllText(F("by-state/ranker.json"), $$"""{"task": "reachability", "network": "by-state-size", "parts": [{"sizes": [3], "ranker": {{System.Text.Json.JsonSerializer.Serialize(ranker4)}}}, {"sizes": [3], "ranker": {{System.Text.Json.JsonSerializer.Serialize(ranker)}}}]}""");
        var byStateBad = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1", "--value-model", F("by-state"));
        Assert.Equal(2, byStateBad.ExitCode);
        Assert.Contains("states of 3 numbers are named by two parts", byStateBad.Err);
        foreach (var (bad, message) in new[] { ("7=" + ranker4, "7 numbers are out of range: a problem has 2 to 6 numbers"), (ranker4, "takes N=DIR"), ("4=", "takes N=DIR") })
        {
            var refused = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1", "--value-model-by-size", bad);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains(message, refused.Err);
        }
        var twice = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1", "--value-model-by-size", $"4={ranker4}", "--value-model-by-size", $"4={ranker}");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("--value-model-by-size names 4 numbers twice", twice.Err);
        var sizedNone = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--model", F("models/tiny-s"), "--method", "sosp", "--threads", "1", "--value-model", "none", "--value-model-by-size", $"4={ranker4}");
        Assert.Equal(2, sizedNone.ExitCode);
        Assert.Contains("--value-model-by-size adds to a value, and --value-model is 'none'", sizedNone.Err);
        var sizedNotRanker = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-t"), "--method", "sosp", "--value-model", ranker, "--value-model-by-size", $"5={F("run")}");
        Assert.Equal(2, sizedNotRanker.ExitCode);
        Assert.Contains($"--value-model-by-size 5={Path.GetFullPath(F("run"))} is not a ranker directory", sizedNotRanker.Err);
        var notRanker = CliRunner.Run("export", "--from", F("run"), "--out", F("models/tiny-w"), "--method", "sosp", "--value-model", F("run"));
        Assert.Equal(2, notRanker.ExitCode);
        Assert.Contains("is not a ranker directory", notRanker.Err);
    }

    [Theory]
    [InlineData("--sweep fast", "--sweep: unknown sweep 'fast'")]
    [InlineData("--sub-call-budgets 2,x", "--sub-call-budgets must be integers separated by commas, got '2,x'")]
    [InlineData("--samples 0", "--samples must be between 1 and 64, got 0")]
    [InlineData("--model somewhere", "--model names one model")]
    public void Eval_rejects_a_bad_value_in_one_line(string options, string expected)
    {
        File.WriteAllText(F("p.jsonl"), "{\"id\":\"a\",\"target\":24,\"nums\":[2,3,4,1]}\n");
        var run = CliRunner.Run(["eval", "--problems", F("p.jsonl"), "--out", F("eval"), .. options.Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.ErrLines));
    }
}
