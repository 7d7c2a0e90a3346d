// `apr export` never deletes or overwrites what it did not create: a target that is, contains or lies
// inside its source, or is not a model directory, is refused (exit 2) with every file left in place;
// --force writes only export's four files; an earlier export is replaced file by file; a locked target
// is refused; no lock or temporary file is left behind. Re-exporting an exported model keeps its training record.
namespace Apr.Cli.Tests;

public sealed class ExportSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    private static readonly string[] Four = ["apr-tokenizer.json", "config.json", "manifest.json", "model.safetensors"];

    [Theory]
    [InlineData("run", "contains the export's source")]
    [InlineData(".", "contains the export's source")]
    [InlineData("run/checkpoints/step-000004", "is the export's source")]
    [InlineData("run/checkpoints", "contains the export's source")]
    [InlineData("run/checkpoints/step-000004/model", "lies inside the export's source")]
    public void A_target_overlapping_its_source_is_refused_and_every_file_stays(string output, string expected)
    {
        var run = Snapshots.FakeRun(_dir);
        File.WriteAllText(F("unrelated.txt"), "someone else's");
        var before = Snapshots.Of(_dir);
        var export = CliRunner.Run("export", "--from", run, "--out", Path.Combine(_dir, output));
        Assert.Equal(2, export.ExitCode);
        var line = Assert.Single(export.ErrLines);
        Assert.StartsWith("apr: error: --out ", line);
        Assert.Contains(expected, line);
        Assert.Contains("--force", line);
        Assert.Equal(before, Snapshots.Of(_dir));
        if (output.EndsWith("/model", StringComparison.Ordinal)) Assert.False(Directory.Exists(Path.Combine(_dir, output)));
    }

    [Fact]
    public void A_directory_that_is_not_a_model_directory_is_refused_and_with_force_only_gains_the_four_files()
    {
        var run = Snapshots.FakeRun(_dir);
        Directory.CreateDirectory(F("stuff/sub"));
        File.WriteAllText(F("stuff/data.jsonl"), "precious");
        File.WriteAllText(F("stuff/config.json"), "not a model config");
        File.WriteAllText(F("stuff/sub/more.txt"), "more");
        var before = Snapshots.Of(F("stuff"));
        var refused = CliRunner.Run("export", "--from", run, "--out", F("stuff"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not an apr model directory (it holds data.jsonl, sub)", Assert.Single(refused.ErrLines));
        Assert.Equal(before, Snapshots.Of(F("stuff")));

        var forced = CliRunner.Run("export", "--from", run, "--out", F("stuff"), "--force");
        Assert.True(forced.ExitCode == 0, forced.Err);
        Assert.Contains("--force: --out " + F("stuff") + " is not an apr model directory", forced.Out);
        var after = Snapshots.Of(F("stuff"));
        Assert.Equal(["apr-tokenizer.json", "config.json", "data.jsonl", "manifest.json", "model.safetensors", "sub/more.txt"], after.Keys);
        Assert.Equal(before["data.jsonl"], after["data.jsonl"]);
        Assert.Equal(before["sub/more.txt"], after["sub/more.txt"]);
        Assert.Equal(Snapshots.Of(Path.Combine(run, "checkpoints/step-000004"))["config.json"], after["config.json"]);
    }

    [Fact]
    public void A_new_target_gets_the_four_files_and_no_leftovers_and_a_second_export_replaces_them_keeping_other_files()
    {
        var run = Snapshots.FakeRun(_dir);
        var first = CliRunner.Run("export", "--from", run, "--out", F("models/m"));
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.Equal(Four, Snapshots.Of(F("models/m")).Keys);
        Assert.Equal(["m"], Directory.GetFileSystemEntries(F("models")).Select(Path.GetFileName));

        File.WriteAllText(F("models/m/README.md"), "the user's notes on this model");
        File.WriteAllText(F("models/m/.export-99999-model.safetensors"), "left by a killed export");
        File.WriteAllText(Path.Combine(run, "checkpoints/step-000004/model.safetensors"), "new weights");
        var second = CliRunner.Run("export", "--from", run, "--out", F("models/m"));
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.Equal([.. Four.Append("README.md").Order(StringComparer.Ordinal)], Snapshots.Of(F("models/m")).Keys);
        Assert.Equal("new weights", File.ReadAllText(F("models/m/model.safetensors")));
        Assert.Equal("the user's notes on this model", File.ReadAllText(F("models/m/README.md")));
    }

    [Fact]
    public void A_run_of_an_earlier_version_exports_its_tokenizer_json_as_apr_tokenizer_json_and_its_old_export_is_still_a_model_directory()
    {
        var run = Snapshots.FakeRun(_dir, tokenizerFile: "tokenizer.json");
        Directory.CreateDirectory(F("m"));
        File.WriteAllText(F("m/tokenizer.json"), "{}"); // as an earlier export left it, beside config.json and weights
        File.WriteAllText(F("m/config.json"), Apr.Model.ModelConfig.Tiny(1300).ToJson());
        File.WriteAllText(F("m/model.safetensors"), "old weights");
        var export = CliRunner.Run("export", "--from", run, "--out", F("m"));
        Assert.True(export.ExitCode == 0, export.Err);
        Assert.Equal([.. Four.Append("tokenizer.json").Order(StringComparer.Ordinal)], Snapshots.Of(F("m")).Keys);
        Assert.Equal("{}", File.ReadAllText(F("m/apr-tokenizer.json")));
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(F("m/manifest.json")));
        Assert.Equal("apr-tokenizer.json", manifest.RootElement.GetProperty("tokenizer").GetProperty("file").GetString());
    }

    [Fact]
    public void Re_exporting_an_exported_model_keeps_what_made_its_weights()
    {
        // models/apr has no checkpoint state.json: its manifest is all that says how its weights were trained.
        var shipped = Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "apr");
        var export = CliRunner.Run("export", "--from", shipped, "--out", F("re"), "--method", "apr", "--value-model", Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "ranker5-mlp"), "--value-weight", "8");
        Assert.True(export.ExitCode == 0, export.Err);
        var before = Apr.Inference.ModelManifest.Read(Path.Combine(shipped, "manifest.json"));
        var after = Apr.Inference.ModelManifest.Read(F("re/manifest.json"));
        Assert.Equal(before.SourceCheckpoint, after.SourceCheckpoint);
        Assert.Equal((before.Training.Steps, before.Training.Seed, before.Training.TokensSeen, before.Training.WallTimeSeconds, before.Training.FinalValLoss),
            (after.Training.Steps, after.Training.Seed, after.Training.TokensSeen, after.Training.WallTimeSeconds, after.Training.FinalValLoss));
        Assert.NotNull(after.Training.Steps);
        Assert.Equal(before.Training.Commands, after.Training.Commands);   // no --recipe: the commands carry over too
        Assert.Equal(before.Files.Single(f => f.Name == "model.safetensors").Sha256, after.Files.Single(f => f.Name == "model.safetensors").Sha256);
        Assert.Equal(8, after.ValueWeight);
    }

    [Fact]
    public void A_target_in_use_by_another_apr_process_is_refused_and_left_alone()
    {
        var run = Snapshots.FakeRun(_dir);
        Assert.Equal(0, CliRunner.Run("export", "--from", run, "--out", F("m")).ExitCode);
        var before = Snapshots.Of(F("m"));
        using (Apr.Training.RunLock.Acquire(F("m"), "apr export"))
        {
            var export = CliRunner.Run("export", "--from", run, "--out", F("m"));
            Assert.Equal(1, export.ExitCode);
            Assert.StartsWith($"apr: error: {F("m")} is in use by apr export (pid ", Assert.Single(export.ErrLines));
        }
        Assert.Equal(before, Snapshots.Of(F("m")));
    }

    [Fact]
    public void A_file_as_target_is_refused()
    {
        var run = Snapshots.FakeRun(_dir);
        File.WriteAllText(F("model.bin"), "a file");
        var export = CliRunner.Run("export", "--from", run, "--out", F("model.bin"), "--force");
        Assert.Equal(2, export.ExitCode);
        Assert.Contains("is a file, not a directory", Assert.Single(export.ErrLines));
        Assert.Equal("a file", File.ReadAllText(F("model.bin")));
    }

    [Fact]
    public void A_failed_export_leaves_no_directory_behind()
    {
        var run = Snapshots.FakeRun(_dir);
        File.WriteAllText(F("summary.json"), "{ not json");
        var export = CliRunner.Run("export", "--from", run, "--out", F("new-model"), "--eval", F("summary.json"));
        Assert.Equal(1, export.ExitCode);
        Assert.Contains("is not an `apr eval` summary", Assert.Single(export.ErrLines));
        Assert.False(Directory.Exists(F("new-model")));
    }
}
