// kill -9 (issue 16): a real `apr eval` process killed mid-run leaves every finished condition's records
// whole and nothing half-written in their place; `--resume` keeps those, runs the rest, and its records
// equal an uninterrupted run's (wall-clock fields aside); no temporary file is left behind.
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
        [Path.Combine(AppContext.BaseDirectory, "apr.dll"), "eval", "--problems", Path.Combine(TestPaths.RepoRoot, "bench", "results", "eval", "test-problems.jsonl"),
         "--limit", "150", "--method", "both", "--sweep", "budget", "--budgets", "4000,16000", "--conditions", "enumerate,random,uniform,symbolic",
         "--out", outDir, "--threads", "1", .. (resume ? new[] { "--resume" } : [])];

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
        using (var p = Start(Eval(straight, resume: false))) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }

        using (var p = Start(Eval(killed, resume: false)))
        {
            var records = Path.Combine(killed, "records");
            for (int i = 0; i < 1200 && !p.HasExited && (!Directory.Exists(records) || Directory.GetFiles(records, "*.jsonl").Length < 3); i++) Thread.Sleep(25);
            Assert.False(p.HasExited, "the run ended before it could be killed; give it more problems");
            p.Kill(); // SIGKILL: no handler runs
            p.WaitForExit();
        }
        var finished = Directory.GetFiles(Path.Combine(killed, "records"), "*.jsonl");
        Assert.InRange(finished.Length, 3, 7);
        foreach (var f in finished) // whole files only: each is one of the straight run's, line for line
            Assert.Equal(File.ReadAllLines(Path.Combine(straight, "records", Path.GetFileName(f))).Select(Stripped), File.ReadAllLines(f).Select(Stripped));

        using (var p = Start(Eval(killed, resume: true))) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
        var names = Directory.GetFiles(Path.Combine(straight, "records")).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(names, Directory.GetFiles(Path.Combine(killed, "records")).Select(Path.GetFileName).Order().ToArray());
        foreach (var name in names)
            Assert.Equal(File.ReadAllLines(Path.Combine(straight, "records", name!)).Select(Stripped), File.ReadAllLines(Path.Combine(killed, "records", name!)).Select(Stripped));
        Assert.Empty(Directory.GetFiles(killed, "*.tmp", SearchOption.AllDirectories));
    }
}
