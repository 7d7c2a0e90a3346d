// Timing: best-of-N timing of a batch, per wall-clock second and per process CPU second.
using System.Diagnostics;

namespace Apr.Bench.Search;

/// <summary>
/// Items per wall-clock second; items per CPU second of the process (what one fully busy core does,
/// GC included); and CPU utilization (CPU seconds / wall seconds: about 1 per thread when the
/// process had its cores, less when other processes held them).
/// </summary>
internal sealed record Row(string What, int Threads, double PerWallSecond, double PerCpuSecond, double CpuUtilization);

internal static class Timing
{
    public const int Repeats = 3;

    public static Row Best(string what, int threads, int items, Action batch)
    {
        double bestWall = double.MaxValue, bestCpu = double.MaxValue, utilization = 0;
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < Repeats; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            batch();
            var wall = sw.Elapsed.TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
            if (wall < bestWall) utilization = cpu / wall;
            bestWall = Math.Min(bestWall, wall);
            bestCpu = Math.Min(bestCpu, cpu);
        }
        return new Row(what, threads, items / bestWall, items / bestCpu, utilization);
    }

    public static void For(int n, int threads, Action<int> body)
    {
        if (threads == 1)
        {
            for (var i = 0; i < n; i++) body(i);
            return;
        }
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }
}
