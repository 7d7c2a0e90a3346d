// Remote-backend benchmark (issue 14): the same greedy guided APR problems solved in process
// (AprRuntime.Solve on a session of the same size) and through --backend against `apr serve` on loopback
// (Kestrel, real HTTP), with one server and with two servers of one torch thread each, in one run.
// Prints problems/s and the ratio to in process, requests and bytes per problem, and where the time
// goes (the client's engine work vs waiting for answers; the server's engine steps and tokens fed), checks
// that the served records equal the in-process ones, and writes bench/results/remote.json. Usage:
//   dotnet run -c Release --project bench/Apr.Bench.Remote -- [--problems 16] [--threads 1] [--slots 64] [--model DIR] [--rounds 2]
// Rounds alternate in process and served (the machine is shared: the best round of each is reported).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Apr.Bench;
using Apr.Data;
using Apr.Inference;
using Apr.Protocol;
using Apr.Remote;
using Apr.Serving;
using Microsoft.AspNetCore.Builder;
using SessionOptions = Apr.Inference.SessionOptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Apr.Bench.Remote;

internal static class Program
{
    private sealed record Run(string Name, double Seconds, IReadOnlyList<ProblemRecord> Records, JsonObject Detail);

    private static async Task<int> Main(string[] args)
    {
        int count = int.Parse(Arg(args, "--problems", "16"), CultureInfo.InvariantCulture);
        int threads = int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        int slots = int.Parse(Arg(args, "--slots", "64"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Arg(args, "--rounds", "2"), CultureInfo.InvariantCulture);
        var root = BenchPaths.RepoRoot;
        string model = Arg(args, "--model", Path.Combine(root, "models", "apr"));
        var problems = ProblemFile.Read(Path.Combine(root, "bench", "results", "eval", "val-problems.jsonl")).Take(count).ToList();
        var items = MultiSample.Items(problems, 1, 1);
        var options = new SolveOptions(SearchMethod.Apr, Guards: GuardOptions.Default with { ContextPerThread = InferenceDefaults.ContextPerThread });
        Console.WriteLine($"{problems.Count} problems, greedy guided APR, {threads} torch thread(s), {slots} slots, model {model}, {rounds} round(s)");

        // Servers first (their models load once); the in-process session beside them.
        var one = await Serve(model, threads, slots);
        var twoA = await Serve(model, 1, slots);
        var twoB = await Serve(model, 1, slots);
        using var local = InferenceSession.Load(model, new SessionOptions(threads, slots));
        local.Runtime(options).Solve(items.Take(2).ToList()); // warm-up (JIT), untimed

        var best = new Dictionary<string, Run>();
        for (int r = 0; r < rounds; r++)
        {
            foreach (var run in new[]
            {
                InProcess(local, options, items),
                Served("one server", [one], threads, slots, model, options, items),
                Served("two servers, 1 thread each", [twoA, twoB], threads, slots, model, options, items),
            })
            {
                Console.WriteLine($"round {r + 1}: {run.Name,-28} {run.Seconds,7:F1} s  {problems.Count / run.Seconds:F3} problems/s");
                if (!best.TryGetValue(run.Name, out var b) || run.Seconds < b.Seconds) best[run.Name] = run;
            }
        }

        var reference = best["in process"];
        var report = new JsonArray();
        foreach (var run in best.Values)
        {
            double rate = problems.Count / run.Seconds;
            int equal = run.Records.Zip(reference.Records).Count(p => SameCalls(p.First, p.Second));
            run.Detail["problems_per_second"] = Math.Round(rate, 4);
            run.Detail["ratio_to_in_process"] = Math.Round(rate / (problems.Count / reference.Seconds), 3);
            run.Detail["seconds"] = Math.Round(run.Seconds, 2);
            run.Detail["verified"] = run.Records.Count(x => x.Correct);
            run.Detail["records_equal_to_in_process"] = equal;
            run.Detail["mean_total_tokens"] = Math.Round(run.Records.Average(x => (double)x.TotalTokens), 1);
            report.Add(run.Detail);
            Console.WriteLine($"{run.Name,-28} {rate:F3} problems/s ({rate / (problems.Count / reference.Seconds):F2}x in process), {run.Records.Count(x => x.Correct)}/{problems.Count} verified, {equal}/{problems.Count} records equal to in process; {Describe(run.Detail)}");
        }
        var result = new JsonObject
        {
            ["benchmark"] = "remote backend: greedy guided APR in process vs through --backend (apr serve on loopback)",
            ["command"] = "dotnet run -c Release --project bench/Apr.Bench.Remote -- " + string.Join(' ', args),
            ["problems"] = problems.Count,
            ["torch_threads"] = threads,
            ["slots"] = slots,
            ["model"] = Path.GetRelativePath(root, model),
            ["machine"] = $"{Environment.ProcessorCount} cores, load average at the end {LoadAverage()}",
            ["runs"] = report,
        };
        var outPath = Path.Combine(root, "bench", "results", "remote.json");
        Apr.Core.AtomicFile.WriteAllText(outPath, result.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"wrote {outPath}");
        foreach (var app in new[] { one, twoA, twoB }) await app.App.DisposeAsync();
        return 0;
    }

    private static async Task<(WebApplication App, Uri Url, ServerState State)> Serve(string model, int threads, int slots)
    {
        var app = ServerApp.Build(new ServeOptions { Port = 0, AprModel = model, Threads = threads, Slots = slots, MaxLogprobs = 1300, MaxConcurrentRequests = 256 },
            configure: b => b.Logging.ClearProviders());
        await app.StartAsync();
        return (app, new Uri(app.Urls.First() + "/"), app.Services.GetRequiredService<ServerState>());
    }

    private static Run InProcess(InferenceSession session, SolveOptions options, IReadOnlyList<SolveItem> items)
    {
        var runtime = session.Runtime(options);
        var clock = Stopwatch.StartNew();
        var records = runtime.Solve(items);
        double seconds = clock.Elapsed.TotalSeconds;
        var s = runtime.Engine.Stats;
        return new Run("in process", seconds, records, new JsonObject
        {
            ["name"] = "in process",
            ["engine_steps_per_problem"] = Math.Round((double)s.Steps / items.Count, 1),
            ["tokens_fed_per_problem"] = Math.Round((double)s.TokensFed / items.Count, 1),
            ["forward_seconds"] = Math.Round(s.ForwardMs / 1000, 2),
        });
    }

    private static Run Served(string name, (WebApplication App, Uri Url, ServerState State)[] servers, int threads, int slots, string model,
        SolveOptions options, IReadOnlyList<SolveItem> items)
    {
        long steps0 = servers.Sum(s => s.State.Loop.Counters.Sum(c => c.Steps)), fed0 = servers.Sum(s => s.State.Loop.Counters.Sum(c => c.TokensFed));
        using var backend = new RemoteBackend(new BackendOptions { Servers = [.. servers.Select(s => s.Url)] });
        using var session = InferenceSession.Load(model, new SessionOptions(threads, slots, 0, backend));
        var runtime = session.Runtime(options);
        var clock = Stopwatch.StartNew();
        var records = runtime.Solve(items);
        double seconds = clock.Elapsed.TotalSeconds;
        var st = backend.Stats;
        long steps = servers.Sum(s => s.State.Loop.Counters.Sum(c => c.Steps)) - steps0, fed = servers.Sum(s => s.State.Loop.Counters.Sum(c => c.TokensFed)) - fed0;
        int n = items.Count;
        return new Run(name, seconds, records, new JsonObject
        {
            ["name"] = name,
            ["servers"] = servers.Length,
            ["requests_per_problem"] = Math.Round((double)st.Requests / n, 1),
            ["kb_sent_per_problem"] = Math.Round(st.BytesSent / 1024.0 / n, 1),
            ["kb_received_per_problem"] = Math.Round(st.BytesReceived / 1024.0 / n, 1),
            ["retries"] = st.Retries,
            ["failed_requests"] = st.FailedRequests,
            ["client_engine_seconds"] = Math.Round(st.Client.TotalSeconds, 2),
            ["client_waiting_seconds"] = Math.Round(st.Waiting.TotalSeconds, 2),
            ["server_engine_steps_per_problem"] = Math.Round((double)steps / n, 1),
            ["server_tokens_fed_per_problem"] = Math.Round((double)fed / n, 1),
            ["requests_per_server"] = new JsonArray([.. backend.RequestsPerServer.Select(s => (JsonNode)s.Requests)]),
        });
    }

    private static bool SameCalls(ProblemRecord a, ProblemRecord b) =>
        a.Correct == b.Correct && a.TotalTokens == b.TotalTokens && a.Calls.Count == b.Calls.Count
        && a.Calls.OrderBy(c => c.Thread, StringComparer.Ordinal).ThenBy(c => c.Call).Select(c => c.Completion)
            .SequenceEqual(b.Calls.OrderBy(c => c.Thread, StringComparer.Ordinal).ThenBy(c => c.Call).Select(c => c.Completion));

    private static string Describe(JsonObject o) => string.Join(", ", o.Where(kv => kv.Key != "name").Select(kv => $"{kv.Key} {kv.Value?.ToJsonString()}"));

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
