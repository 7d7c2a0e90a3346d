// RunDirectory and the trainer's use of it: an existing run is never overwritten without --resume or
// --force; --force deletes exactly the run's own files and says so; leftovers of interrupted writes go at
// the next start; a locked directory is refused before anything is touched.
using Apr.Testing;

namespace Apr.Training.Tests;

public sealed class RunDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-rundir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Run => Path.Combine(_dir, "run");

    /// <summary>A run as `apr train` leaves it: two checkpoints, latest, metrics.jsonl, loss.png, plus a file of the user's.</summary>
    private void FakeRun()
    {
        foreach (var step in new[] { "step-000004", "step-000008" })
        {
            var d = Path.Combine(Run, "checkpoints", step);
            Directory.CreateDirectory(d);
            foreach (var f in RunDirectory.CheckpointFiles) File.WriteAllText(Path.Combine(d, f), step + f);
        }
        File.WriteAllText(Path.Combine(Run, "checkpoints", "latest"), "step-000008\n");
        File.WriteAllText(Path.Combine(Run, "metrics.jsonl"), "{\"step\":1,\"loss\":2.5}\n");
        File.WriteAllText(Path.Combine(Run, "loss.png"), "png");
        File.WriteAllText(Path.Combine(Run, "notes.txt"), "mine");
    }

    private Dictionary<string, string> Snapshot() => Directory.GetFiles(Run, "*", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(Run, f), File.ReadAllText);

    private SftOptions Options(bool resume = false, bool force = false, Action<string>? notice = null) => new()
    {
        DataFiles = [TestTraces.Write(_dir, problems: 4, seed: 1)], OutputDirectory = Run, Preset = "tiny", Steps = 2, BatchTokens = 1024, CheckTraces = false,
        ValFraction = 0, CheckpointInterval = 2, Threads = 1, Resume = resume, Force = force, Notice = notice,
    };

    [Fact]
    public void Training_into_an_existing_run_without_resume_is_refused_and_touches_nothing()
    {
        FakeRun();
        var before = Snapshot();
        var e = Assert.Throws<RunDirectoryException>(() => SftTrainer.Run(Options()));
        Assert.Equal((RunDirectoryRefusal.ExistingRun, Run, "checkpoints/ (step-000004, step-000008), metrics.jsonl, loss.png"), (e.Refusal, e.Directory, e.Contents));
        Assert.Equal($"{Run} already holds a run ({e.Contents}): resume it, start over (deletes {e.Contents}), or choose another directory", e.Message);
        Assert.Equal(before, Snapshot());
        Assert.False(File.Exists(Path.Combine(Run, RunLock.FileName)));
    }

    [Fact]
    public void Force_deletes_exactly_the_runs_own_files_and_says_which()
    {
        FakeRun();
        var notices = new List<string>();
        RunDirectory.Prepare(Run, resume: false, force: true, [SftTrainer.LossPlotFile], notices.Add);
        Assert.Equal(["notes.txt"], Snapshot().Keys);
        Assert.False(Directory.Exists(Path.Combine(Run, "checkpoints")));
        Assert.Equal($"starting over in {Run}: deleted checkpoints/ (step-000004, step-000008), metrics.jsonl, loss.png", Assert.Single(notices));
    }

    [Fact]
    public void Force_leaves_a_checkpoint_directory_holding_a_foreign_file_and_says_so()
    {
        FakeRun();
        File.WriteAllText(Path.Combine(Run, "checkpoints", "step-000004", "keep.txt"), "mine");
        var e = Assert.Throws<RunDirectoryException>(() => RunDirectory.Prepare(Run, resume: false, force: true, [], null));
        Assert.Equal((RunDirectoryRefusal.ForeignFiles, "keep.txt"), (e.Refusal, e.Contents));
        Assert.EndsWith("step-000004", e.Directory);
        Assert.Contains("step-000004 holds files apr did not write (keep.txt)", e.Message);
        Assert.True(File.Exists(Path.Combine(Run, "checkpoints", "step-000004", "keep.txt")));
    }

    [Slow]
    [Fact]
    public void Force_starts_a_new_run_that_trains()
    {
        FakeRun();
        var notices = new List<string>();
        var result = SftTrainer.Run(Options(force: true, notice: notices.Add));
        Assert.Equal(2, result.Steps);
        Assert.StartsWith("starting over", Assert.Single(notices));
        Assert.EndsWith("step-000002", new CheckpointStore(Run).Latest());
        Assert.False(Directory.Exists(Path.Combine(Run, "checkpoints", "step-000008")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Run, "notes.txt")));
    }

    [Fact]
    public void Leftovers_of_interrupted_writes_are_deleted_at_the_next_start_and_nothing_else()
    {
        FakeRun();
        var leftovers = new[] { "metrics.jsonl.tmp-999", ".traces.jsonl.999.0123abcd.tmp", "loss.png.tmp.png", "checkpoints/latest.tmp-999", "checkpoints/.latest.999.0123abcd.tmp", "checkpoints/.step-000012.tmp-999/model.safetensors" };
        foreach (var f in leftovers)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Run, f))!);
            File.WriteAllText(Path.Combine(Run, f), "");
        }
        var before = Snapshot();
        var notices = new List<string>();
        RunDirectory.Prepare(Run, resume: true, force: false, [], notices.Add);
        Assert.Equal(before.Keys.Except(leftovers).Order(), Snapshot().Keys.Order());
        Assert.False(Directory.Exists(Path.Combine(Run, "checkpoints", ".step-000012.tmp-999")));
        Assert.StartsWith($"removed 6 temporary file(s) an interrupted run left in {Run}: ", Assert.Single(notices));
    }

    [Fact]
    public void A_locked_run_directory_is_refused_at_once_and_left_alone()
    {
        FakeRun();
        var before = Snapshot();
        using (RunLock.Acquire(Run, "apr train"))
        {
            var e = Assert.Throws<RunLockedException>(() => SftTrainer.Run(Options(force: true)));
            Assert.StartsWith($"{Run} is in use by apr train (pid ", e.Message);
            Assert.Equal(before.Keys.Append(RunLock.FileName).Order(), Snapshot().Keys.Order());
        }
        Assert.Equal(before, Snapshot());
    }
}
