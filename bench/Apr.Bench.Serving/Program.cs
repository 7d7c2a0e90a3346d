// Serving benchmark: the same greedy problems solved through `apr serve` over real HTTP (Kestrel on
// loopback, non-streaming chat requests) at 1, 8 and 32 concurrent clients, and through the in-process
// runtime (AprRuntime.Solve, one batch) on a session of the same size, in one run. Prints problems/s,
// p50/p99 latency per problem and the ratio to in-process, checks every answer verifies, and writes
// bench/results/serving.json. Then /v1/completions decode tokens/s at the same client counts against the
// engine in process (CompletionsBench). Usage:
//   dotnet run -c Release --project bench/Apr.Bench.Serving -- [--problems 32] [--clients 1,8,32] [--threads 1] [--slots 64]
//     [--completion-tokens 128] [--policy model|enumerate] [--model DIR]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Data;
using Apr.Inference;
using Apr.Protocol;
using Apr.Serving;
using Microsoft.Extensions.Logging;

namespace Apr.Bench.Serving;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        int count = int.Parse(Arg(args, "--problems", "32"), CultureInfo.InvariantCulture);
        int[] clients = [.. Arg(args, "--clients", "1,8,32").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
        int threads = int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        int slots = int.Parse(Arg(args, "--slots", "64"), CultureInfo.InvariantCulture);
        var policy = ChoicePolicies.Parse(Arg(args, "--policy", "model"));
        var root = RepoRoot();
        string model = Arg(args, "--model", Path.Combine(root, "models", "apr"));
        var problems = ProblemFile.Read(Path.Combine(root, "bench", "results", "eval", "val-problems.jsonl")).Take(count).ToList();
        Console.WriteLine($"{problems.Count} problems, clients {string.Join("/", clients)}, {threads} thread(s), {slots} slots, policy {policy.Name()}, model {(policy == ChoicePolicy.Model ? model : "none")}");

        // In process: one Solve over all problems, the runtime's own admission (ProblemsInFlight). Run before
        // and after the served levels (tiered JIT keeps speeding code up for a while); the faster run is the reference.
        var sizing = new SessionOptions(threads, slots);
        var first = InProcess(policy, model, sizing, problems);
        int completionTokens = int.Parse(Arg(args, "--completion-tokens", "128"), CultureInfo.InvariantCulture);
        var decodeInProcess = new Dictionary<int, double>();
        using (var session = policy == ChoicePolicy.Model ? InferenceSession.Load(model, sizing) : InferenceSession.NoModel(sizing))
        {
            CompletionsBench.InProcess(session, 2, 16); // warm-up (JIT), untimed
            foreach (int c in clients) decodeInProcess[c] = CompletionsBench.InProcess(session, c, completionTokens);
        }
        var serve = new ServeOptions { Port = 0, Threads = threads, Slots = slots, Policy = policy, AprModel = policy == ChoicePolicy.Model ? model : null, MaxConcurrentRequests = 64 };
        await using var app = ServerApp.Build(serve, configure: b => b.Logging.ClearProviders());
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(30) };
        var levels = new JsonArray();
        for (int w = 0; w < 2; w++) // warm-up (JIT), untimed
            using (var warm = await http.PostAsJsonAsync("/v1/chat/completions", Chat(problems[w]))) warm.EnsureSuccessStatusCode();
        foreach (int c in clients)
        {
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            int next = -1, verified = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, c).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < problems.Count)
                {
                    var p = problems[i];
                    var t = Stopwatch.StartNew();
                    using var response = await http.PostAsJsonAsync("/v1/chat/completions", Chat(p));
                    var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    latencies.Add(t.Elapsed.TotalMilliseconds);
                    if (response.IsSuccessStatusCode && (bool)json["choices"]![0]!["apr"]!["correct"]!) Interlocked.Increment(ref verified);
                }
            }));
            double seconds = clock.Elapsed.TotalSeconds;
            var l = latencies.ToList();
            double rate = problems.Count / seconds;
            Console.WriteLine($"{c,2} client(s): {rate:F3} problems/s ({rate * first.Seconds / problems.Count:F2}x the first in-process run), {verified}/{problems.Count} verified, p50 {P(l, 0.5):F0} ms, p99 {P(l, 0.99):F0} ms");
            levels.Add(new JsonObject
            {
                ["clients"] = c, ["seconds"] = Math.Round(seconds, 3), ["problems_per_second"] = Math.Round(rate, 4),
                ["verified"] = verified,
                ["p50_ms"] = Math.Round(P(l, 0.5), 1), ["p99_ms"] = Math.Round(P(l, 0.99), 1),
            });
        }
        var decode = new JsonArray();
        await CompletionsBench.Served(http, 2, 16); // warm-up (JIT), untimed
        foreach (int c in clients)
        {
            double served = await CompletionsBench.Served(http, c, completionTokens);
            Console.WriteLine($"completions, {c,2} client(s): {served:F0} tokens/s served vs {decodeInProcess[c]:F0} in process ({served / decodeInProcess[c]:F2}x)");
            decode.Add(new JsonObject
            {
                ["clients"] = c, ["served_tokens_per_second"] = Math.Round(served, 1), ["in_process_tokens_per_second"] = Math.Round(decodeInProcess[c], 1),
                ["ratio"] = Math.Round(served / decodeInProcess[c], 3),
            });
        }
        await app.StopAsync();
        await app.DisposeAsync();
        var second = InProcess(policy, model, sizing, problems);
        double inProcessSeconds = Math.Min(first.Seconds, second.Seconds);
        var inProcessLatency = first.Seconds <= second.Seconds ? first.Latency : second.Latency;
        foreach (var level in levels) level!["vs_in_process"] = Math.Round((double)level["problems_per_second"]! * inProcessSeconds / problems.Count, 3);
        var report = new JsonObject
        {
            ["format"] = 1,
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["command"] = "dotnet run -c Release --project bench/Apr.Bench.Serving -- " + string.Join(' ', args),
            ["problems"] = problems.Count, ["threads"] = threads, ["slots"] = slots, ["policy"] = policy.Name(),
            ["model"] = policy == ChoicePolicy.Model ? Path.GetRelativePath(root, model) : null,
            ["in_process"] = new JsonObject
            {
                ["runs_seconds"] = new JsonArray(Math.Round(first.Seconds, 3), Math.Round(second.Seconds, 3)),
                ["seconds"] = Math.Round(inProcessSeconds, 3), ["problems_per_second"] = Math.Round(problems.Count / inProcessSeconds, 4),
                ["p50_ms"] = Math.Round(P(inProcessLatency, 0.5), 1), ["p99_ms"] = Math.Round(P(inProcessLatency, 0.99), 1),
                ["latency_note"] = "in process: each record's latency (from its root's admission); served: each request's wall time, queueing included",
            },
            ["served"] = levels,
            ["completions"] = new JsonObject { ["max_tokens"] = completionTokens, ["temperature"] = 1.0, ["requests_per_client"] = 2, ["levels"] = decode },
        };
        var outPath = Path.Combine(root, "bench", "results", policy == ChoicePolicy.Model ? "serving.json" : $"serving-{policy.Name()}.json");
        File.WriteAllText(outPath, report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"wrote {Path.GetRelativePath(root, outPath)}");
        return 0;
    }

    private static (double Seconds, List<double> Latency) InProcess(ChoicePolicy policy, string model, SessionOptions sizing, List<CountdownProblem> problems)
    {
        using var session = policy == ChoicePolicy.Model ? InferenceSession.Load(model, sizing) : InferenceSession.NoModel(sizing);
        var options = new SolveOptions(SearchMethod.Apr, true, policy, Guards: GuardOptions.Default with { ContextPerThread = session.Context });
        session.Runtime(options).Solve(MultiSample.Items(problems.Take(2).ToList(), 1, 0)); // warm-up (JIT), untimed
        var clock = Stopwatch.StartNew();
        var records = session.Runtime(options).Solve(MultiSample.Items(problems, 1, 0));
        double seconds = clock.Elapsed.TotalSeconds;
        List<double> latency = [.. records.Select(r => r.LatencyMs ?? 0)];
        Console.WriteLine($"in process: {problems.Count / seconds:F3} problems/s, {records.Count(r => r.Correct)}/{records.Count} verified, p50 {P(latency, 0.5):F0} ms, p99 {P(latency, 0.99):F0} ms");
        return (seconds, latency);
    }

    private static JsonObject Chat(CountdownProblem p) => new()
    {
        ["model"] = "apr", ["temperature"] = 0, ["seed"] = 0,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Reach {p.Target} from {string.Join(", ", p.Nums)}" }),
    };

    /// <summary>Nearest-rank percentile.</summary>
    private static double P(List<double> values, double q)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Apr.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException($"no Apr.slnx above {AppContext.BaseDirectory}");
    }
}
