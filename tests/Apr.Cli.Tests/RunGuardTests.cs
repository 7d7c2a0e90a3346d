// `apr train` and `apr rl` through the command line: an existing run is refused without --resume (exit 2,
// nothing touched); --force says what it deletes; a run directory in use is refused at once (exit 1).
using Apr.Testing;

namespace Apr.Cli.Tests;

public sealed class RunGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    private static string ShippedModel => Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "apr");

    [Fact]
    public void Train_into_an_existing_run_without_resume_is_refused_and_changes_nothing()
    {
        var run = Snapshots.FakeRun(_dir);
        File.WriteAllText(F("t.jsonl"), "");
        var before = Snapshots.Of(run);
        var train = CliRunner.Run("train", "--data", F("t.jsonl"), "--out", run, "--preset", "tiny", "--steps", "2");
        Assert.Equal(2, train.ExitCode);
        var line = Assert.Single(train.ErrLines);
        Assert.Equal($"apr: error: {run} already holds a run (checkpoints/ (step-000004), metrics.jsonl): pass --resume to continue it, --force to start over (deletes checkpoints/ (step-000004), metrics.jsonl), or choose another --out", line);
        Assert.Equal(before, Snapshots.Of(run));
    }

    [Fact]
    public void Train_with_force_says_what_it_deletes_and_keeps_the_users_files()
    {
        var run = Snapshots.FakeRun(_dir);
        Assert.Equal(0, CliRunner.Run("data", "problems", "--count", "8", "--seed", "3", "--out", F("p.jsonl")).ExitCode);
        Assert.Equal(0, CliRunner.Run("data", "traces", "--problems", F("p.jsonl"), "--method", "sosp", "--out", F("t.jsonl")).ExitCode);
        var train = CliRunner.Run("train", "--data", F("t.jsonl"), "--out", run, "--preset", "tiny", "--steps", "1", "--batch-tokens", "2048", "--warmup", "0", "--threads", "1", "--force");
        Assert.True(train.ExitCode == 0, train.Err);
        Assert.Contains($"starting over in {run}: deleted checkpoints/ (step-000004), metrics.jsonl", train.Out);
        Assert.Equal("the user's notes", File.ReadAllText(Path.Combine(run, "notes.txt")));
        Assert.Equal("step-000001", File.ReadAllText(Path.Combine(run, "checkpoints", "latest")).Trim());
        Assert.False(File.Exists(Path.Combine(run, Apr.Training.RunLock.FileName)));
    }

    [Fact]
    public void Train_into_a_run_directory_in_use_fails_at_once()
    {
        var run = Snapshots.FakeRun(_dir);
        File.WriteAllText(F("t.jsonl"), "");
        using var held = Apr.Training.RunLock.Acquire(run, "apr train");
        var train = CliRunner.Run("train", "--data", F("t.jsonl"), "--out", run, "--resume");
        Assert.Equal(1, train.ExitCode);
        Assert.StartsWith($"apr: error: {run} is in use by apr train (pid {Environment.ProcessId}", Assert.Single(train.ErrLines));
    }

    [Slow]
    [Fact]
    public void Rl_into_an_existing_run_without_resume_is_refused_and_a_run_in_use_too()
    {
        var run = Snapshots.FakeRun(_dir);
        File.WriteAllText(F("p.jsonl"), "{\"target\":24,\"nums\":[2,3,4,1]}\n");
        var before = Snapshots.Of(run);
        string[] args = ["rl", "--model", ShippedModel, "--problems", F("p.jsonl"), "--out", run, "--steps", "1", "--threads", "1"];
        var rl = CliRunner.Run(args);
        Assert.Equal(2, rl.ExitCode);
        Assert.StartsWith($"apr: error: {run} already holds a run", Assert.Single(rl.ErrLines));
        using (Apr.Training.RunLock.Acquire(run, "apr train"))
        {
            var busy = CliRunner.Run([.. args, "--resume"]);
            Assert.Equal(1, busy.ExitCode);
            Assert.Contains("is in use by apr train", Assert.Single(busy.ErrLines));
        }
        Assert.Equal(before, Snapshots.Of(run));
    }
}
