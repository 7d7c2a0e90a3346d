// Apr.Bench.Search: throughput of problem generation and of the SoS+ and APR demonstration solvers
// with 1 and 2 worker threads (Parallel.For with a fixed degree), plus trace statistics to compare
// with the Python reference. Prints a table and writes JSON (argument 1, default
// bench/results/search.json). Run in Release: dotnet run -c Release --project bench/Apr.Bench.Search
//
// Each timing is the best of 3 repetitions, reported both per wall-clock second and per CPU second
// of the process (the machine is shared, so wall-clock rates understate the code's speed when other
// processes hold the cores). Timed runs keep only each result's length, as a streaming pipeline
// would; the statistics come from a separate untimed pass. No assertions here.
using System.Diagnostics;
using System.Text.Json;
using Apr.Bench.Search;
using Apr.Countdown;
using Apr.Search;

var output = args.Length > 0 ? args[0] : "bench/results/search.json";
const int N = 10_000;
const ulong Seed = 20250401;

var generator = new ProblemGenerator(ProblemDistribution.Paper);
var sos = new SosPlusSolver();
var apr = new AprSolver();
var aprEnd = new AprSolver(AprOptions.Paper with { OnChildrenFail = ChildrenFailPolicy.End });

// Warm-up (JIT, tiered compilation, thread-static buffers) on other problems.
var warm = generator.Generate(3_000, Seed + 1);
for (var i = 0; i < warm.Count; i++) { sos.Solve(warm[i], Seed, i); apr.Solve(warm[i], Seed, i); aprEnd.Solve(warm[i], Seed, i); }

var problems = generator.Generate(N, Seed, "b");
var sink = new long[N];
var rows = new List<Row>();
foreach (var threads in new[] { 1, 2 })
    rows.Add(Timing.Best("problems", threads, N, () => generator.Generate(N, Seed, "b", threads: threads)));
foreach (var threads in new[] { 1, 2 })
{
    rows.Add(Timing.Best("sosp_traces", threads, N, () => Timing.For(N, threads, i => sink[i] = sos.Solve(problems[i], Seed, i).Trace.Calls[0].Completion.Length)));
    rows.Add(Timing.Best("apr_trees", threads, N, () => Timing.For(N, threads, i => sink[i] = apr.Solve(problems[i], Seed, i).Trace.Calls.Count)));
    rows.Add(Timing.Best("apr_end_trees", threads, N, () => Timing.For(N, threads, i => sink[i] = aprEnd.Solve(problems[i], Seed, i).Trace.Calls.Count)));
}

var stats = new Dictionary<string, Dictionary<string, double>>
{
    ["sosp"] = TraceStats.OfSosPlus(problems, i => sos.Solve(problems[i], Seed, i)),
    ["apr_continue"] = TraceStats.OfApr(problems, i => apr.Solve(problems[i], Seed, i)),
    ["apr_end"] = TraceStats.OfApr(problems, i => aprEnd.Solve(problems[i], Seed, i)),
};

Console.WriteLine($"{N} problems, paper distribution (4 numbers), seed {Seed}, {Environment.ProcessorCount} cores, best of {Timing.Repeats}");
Console.WriteLine($"{"what",-14} {"threads",7} {"per wall s",12} {"per CPU s",12} {"CPU use",8}");
foreach (var r in rows) Console.WriteLine($"{r.What,-14} {r.Threads,7} {r.PerWallSecond,12:N0} {r.PerCpuSecond,12:N0} {r.CpuUtilization,8:0.00}");
Console.WriteLine();
foreach (var (name, s) in stats)
    Console.WriteLine($"{name,-13} " + string.Join("  ", s.Select(kv => $"{kv.Key} {kv.Value:0.###}")));

var json = new Dictionary<string, object>
{
    ["format_version"] = 1,
    ["problems"] = N,
    ["seed"] = Seed,
    ["cores"] = Environment.ProcessorCount,
    ["repeats"] = Timing.Repeats,
    ["throughput"] = rows,
    ["stats"] = stats,
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
Console.WriteLine($"wrote {output}");
