// Progress: a progress bar on an interactive terminal (Spectre.Console), plain periodic lines on
// stderr otherwise (CI logs, pipes), so long work always shows that it is alive and how far it got.
using System.Diagnostics;
using Spectre.Console;

namespace Apr.Cli;

internal static class Progress
{
    /// <summary>Runs <paramref name="work"/>, which reports completed units through the callback it is given.</summary>
    public static T Run<T>(string description, long total, TextWriter stderr, Func<Action<long>, T> work)
    {
        if (!Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            T result = default!;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                         new RemainingTimeColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(description, maxValue: Math.Max(1, total));
                    result = work(done => task.Value = done);
                    task.Value = task.MaxValue;
                });
            return result;
        }
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var value = work(done =>
        {
            if (clock.Elapsed - lastPrint < TimeSpan.FromSeconds(10)) return;
            lastPrint = clock.Elapsed;
            stderr.WriteLine($"{description}: {done}/{total} ({100.0 * done / Math.Max(1, total):F0}%, {clock.Elapsed:hh\\:mm\\:ss})");
        });
        return value;
    }
}
