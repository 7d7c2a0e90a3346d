// kill -9 (issue 16): a real `apr eval` process killed mid-run leaves every finished condition's records
// whole and nothing half-written in their place; `--resume` keeps those, runs the rest, and its records
// equal an uninterrupted run's (wall-clock fields aside); no temporary file is left behind. The same for
// `apr train` and `apr rl` (a tiny model, killed once a checkpoint is on disk): the resumed run's last
// checkpoint (weights and optimizer state) is byte for byte the uninterrupted run's, and so are its
// metrics.jsonl lines apart from timings. Only the killed runs are processes of their own; the others run
// in this one (CliRunner), which saves a torch start-up each.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Apr.Testing;

namespace Apr.Cli.Tests;

[Slow]
public sealed class KillTests : IDisposable
{
    private static readonly string[] Clock = ["latency_ms", "start_ms", "end_ms"];
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Eval(string outDir, bool resume) =>
        [Apr, "eval", "--problems", Path.Combine(TestPaths.RepoRoot, "bench", "results", "eval", "test-problems.jsonl"),
         "--limit", "150", "--method", "both", "--sweep", "budget", "--budgets", "4000,16000", "--conditions", "enumerate,random,uniform,symbolic",
         "--out", outDir, "--threads", "1", .. (resume ? new[] { "--resume" } : [])];

    private static string Apr => Path.Combine(AppContext.BaseDirectory, "apr.dll");

    /// <summary>Runs apr in this process (only the killed runs need their own).</summary>
    private static void RunToEnd(string[] args)
    {
        var run = CliRunner.Run(args[1..]);
        Assert.True(run.ExitCode == 0, run.Err);
    }

    /// <summary>Starts <paramref name="args"/> and kills it (SIGKILL: no handler runs) as soon as <paramref name="ready"/> holds (waiting at most 5 minutes).</summary>
    private static void KillWhen(string[] args, Func<bool> ready)
    {
        using var p = Start(args);
        var clock = Stopwatch.StartNew();
        while (!p.HasExited && !ready() && clock.Elapsed < TimeSpan.FromMinutes(5)) Thread.Sleep(10);
        Assert.False(p.HasExited, "the run ended before it could be killed; give it more work");
        bool wasReady = ready();
        p.Kill();
        p.WaitForExit();
        Assert.True(wasReady, "the run never reached the point to kill it at");
    }

    private static bool HasCheckpoint(string run, int step) => Directory.Exists(Path.Combine(run, "checkpoints", $"step-{step:D6}"));

    /// <summary>Metrics lines without their timings.</summary>
    private static IEnumerable<string> Metrics(string run) => File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line =>
    {
        var o = JsonNode.Parse(line)!.AsObject();
        foreach (var k in new[] { "tokens_per_s", "elapsed_s", "rollout_seconds", "update_seconds", "elapsed_seconds", "seconds" }) o.Remove(k);
        return o.ToJsonString();
    });

    private static void SameCheckpoint(string a, string b, int step)
    {
        foreach (var file in new[] { "model.safetensors", "optimizer.safetensors" })
            Assert.True(File.ReadAllBytes(Path.Combine(a, "checkpoints", $"step-{step:D6}", file)).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(b, "checkpoints", $"step-{step:D6}", file))), $"{file} of step {step} differs");
        Assert.Equal(Metrics(a), Metrics(b));
        Assert.Empty(Directory.GetFiles(b, "*.tmp*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(b, "*.tmp*", SearchOption.AllDirectories));
    }

    private string TinyData()
    {
        string problems = Path.Combine(_dir, "p.jsonl"), traces = Path.Combine(_dir, "t.jsonl");
        RunToEnd([Apr, "data", "problems", "--count", "60", "--seed", "3", "--out", problems]);
        RunToEnd([Apr, "data", "traces", "--problems", problems, "--method", "sosp", "--out", traces]);
        return traces;
    }

    private static string[] Train(string traces, string run, int steps, bool resume) =>
        [Apr, "train", "--data", traces, "--out", run, "--preset", "tiny", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--batch-tokens", "2048", "--warmup", "2", "--checkpoint-interval", "4", "--val-interval", "0", "--loss-on", "chosen", "--threads", "1", "--seed", "5",
         .. (resume ? new[] { "--resume" } : [])];

    [Fact]
    public void A_training_run_killed_mid_run_resumes_to_the_uninterrupted_weights()
    {
        var traces = TinyData();
        string straight = Path.Combine(_dir, "straight"), killed = Path.Combine(_dir, "killed");
        RunToEnd(Train(traces, straight, 40, resume: false));
        KillWhen(Train(traces, killed, 40, resume: false), () => HasCheckpoint(killed, 4));
        Assert.False(HasCheckpoint(killed, 40));
        RunToEnd(Train(traces, killed, 40, resume: true));
        SameCheckpoint(straight, killed, 40);
    }

    [Fact]
    public void An_rl_run_killed_mid_run_resumes_to_the_uninterrupted_weights()
    {
        var traces = TinyData();
        string sft = Path.Combine(_dir, "sft"), straight = Path.Combine(_dir, "straight"), killed = Path.Combine(_dir, "killed");
        RunToEnd(Train(traces, sft, 4, resume: false));
        // A latency weight gives the barely trained model's failed rollouts different rewards, so every step updates.
        string[] Rl(string run, bool resume) =>
            [Apr, "rl", "--model", sft, "--method", "sosp", "--problems", Path.Combine(_dir, "p.jsonl"), "--steps", "6", "--problems-per-step", "2", "--group", "3",
             "--context", "256", "--temperature", "2", "--latency-weight", "1", "--val-interval", "0", "--checkpoint-interval", "1", "--threads", "1", "--seed", "4",
             "--out", run, .. (resume ? new[] { "--resume" } : [])];
        RunToEnd(Rl(straight, resume: false));
        Assert.All(Metrics(straight), line => Assert.DoesNotContain("\"trained_rollouts\":0,", line));
        KillWhen(Rl(killed, resume: false), () => HasCheckpoint(killed, 2));
        Assert.False(HasCheckpoint(killed, 6));
        RunToEnd(Rl(killed, resume: true));
        SameCheckpoint(straight, killed, 6);
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        var p = Process.Start(start)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static string Stripped(string line)
    {
        var o = JsonNode.Parse(line)!.AsObject();
        foreach (var k in Clock) o.Remove(k);
        foreach (var t in o["threads"]!.AsArray()) foreach (var k in Clock) t!.AsObject().Remove(k);
        return o.ToJsonString();
    }

    [Fact]
    public void An_eval_killed_mid_run_resumes_to_the_uninterrupted_records()
    {
        string straight = Path.Combine(_dir, "straight"), killed = Path.Combine(_dir, "killed");
        RunToEnd(Eval(straight, resume: false));

        var records = Path.Combine(killed, "records");
        KillWhen(Eval(killed, resume: false), () => Directory.Exists(records) && Directory.GetFiles(records, "*.jsonl").Length >= 3);
        var finished = Directory.GetFiles(Path.Combine(killed, "records"), "*.jsonl");
        Assert.InRange(finished.Length, 3, 7);
        foreach (var f in finished) // whole files only: each is one of the straight run's, line for line
            Assert.Equal(File.ReadAllLines(Path.Combine(straight, "records", Path.GetFileName(f))).Select(Stripped), File.ReadAllLines(f).Select(Stripped));

        RunToEnd(Eval(killed, resume: true));
        var names = Directory.GetFiles(Path.Combine(straight, "records")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(names, Directory.GetFiles(Path.Combine(killed, "records")).Select(Path.GetFileName).Order().ToArray());
        foreach (var name in names)
            Assert.Equal(File.ReadAllLines(Path.Combine(straight, "records", name!)).Select(Stripped), File.ReadAllLines(Path.Combine(killed, "records", name!)).Select(Stripped));
        Assert.Empty(Directory.GetFiles(killed, "*.tmp", SearchOption.AllDirectories));
    }
}
