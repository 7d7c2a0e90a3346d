// AprProcess: the real `apr` (dotnet apr.dll, built beside the tests) as a child process: `apr serve` on a
// free loopback port (--port 0; the port is read from its "listening on" line) or a verb run to its end.
// Kills what it started when disposed.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Apr.Browser.Tests;

internal sealed partial class AprProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AprProcess(IEnumerable<string> args)
    {
        var apr = Path.Combine(AppContext.BaseDirectory, "apr.dll");
        Assert.True(File.Exists(apr), $"{apr} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(apr);
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join("\n", _output);

    /// <summary>`apr serve` with the no-model enumerate policy (serves apr and sosp, answers in milliseconds); returns it and its base URL.</summary>
    public static async Task<(AprProcess Server, Uri Url)> ServeAsync()
    {
        var server = new AprProcess(["serve", "--port", "0", "--policy", "enumerate", "--threads", "1", "--slots", "16", "--drain-seconds", "1"]);
        for (int i = 0; i < 600 && !server._process.HasExited; i++)
        {
            if (Listening().Match(server.Output) is { Success: true } m) return (server, new Uri(m.Groups[1].Value));
            await Task.Delay(100);
        }
        var output = server.Output;
        server.Dispose();
        throw new InvalidOperationException($"apr serve printed no listening line: {output}");
    }

    /// <summary>Runs `apr ARGS` to its end; returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var run = new AprProcess(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await run._process.WaitForExitAsync(timeout.Token);
        run._process.WaitForExit(); // drains the output readers
        return (run._process.ExitCode, run.Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
