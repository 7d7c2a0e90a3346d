// Loopback: what the remote-backend tests share: a tiny random model written once to a temporary
// directory (fast to decode, and the same weights in process and behind every server), real `apr serve`
// apps on Kestrel listening on free loopback ports (port 0), a fake server that answers whatever a test
// wants, and a record comparison that ignores only timing and cache-reuse figures (log-probs within 1e-4).
using System.Net;
using Apr.Inference;
using Apr.Model;
using Apr.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Apr.Remote.Tests;

internal static class Loopback
{
    public const float LogProbTolerance = 1e-4f;

    private static readonly Lazy<string> Model = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), $"apr-remote-tests-{Environment.ProcessId}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, recursive: true); } catch (IOException) { } };
        var dir = Path.Combine(root, "tiny");
        TorchSharp.torch.manual_seed(14);
        using (var model = new LlamaForCausalLm(ModelConfig.Tiny(Apr.Tokenization.TraceTokenizer.Default.VocabSize))) ModelFiles.Save(model, dir);
        return dir;
    });

    /// <summary>The tiny model's directory (512 positions, random weights, seed 14).</summary>
    public static string TinyModel => Model.Value;

    /// <summary>`apr serve` over <paramref name="model"/> (default: the tiny model) on a free loopback port, 512 tokens per thread; its base URL.</summary>
    public static async Task<(WebApplication App, Uri Url)> ServeAsync(string? model = null, int slots = 32)
    {
        var options = new ServeOptions { Port = 0, AprModel = model ?? TinyModel, Threads = 1, Slots = slots, Context = 512, MaxLogprobs = 1300, DrainTimeout = TimeSpan.FromSeconds(1) };
        var app = ServerApp.Build(options, configure: b => b.Logging.ClearProviders());
        await app.StartAsync();
        return (app, Address(app));
    }

    /// <summary>A server whose every POST is answered by <paramref name="handle"/> (a broken or hostile backend).</summary>
    public static async Task<(WebApplication App, Uri Url)> FakeAsync(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/completions", handle);
        await app.StartAsync();
        return (app, Address(app));
    }

    private static Uri Address(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public static BackendOptions Fast(params Uri[] servers) => new()
    {
        Servers = servers,
        Timeout = TimeSpan.FromSeconds(30),
        Retries = 3,
        Backoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        DownFor = TimeSpan.FromSeconds(30),
    };

    public static IReadOnlyList<Apr.Countdown.CountdownProblem> Problems(int count)
    {
        return new Apr.Countdown.ProblemGenerator(Apr.Countdown.ProblemDistribution.Paper).Generate(count, 1403);
    }

    /// <summary>The first difference between two runs' records (in input order), or null when they agree.</summary>
    public static string? Difference(IReadOnlyList<ProblemRecord> expected, IReadOnlyList<ProblemRecord> actual)
    {
        if (expected.Count != actual.Count) return $"{expected.Count} records vs {actual.Count}";
        for (int i = 0; i < expected.Count; i++)
            if (Difference(expected[i], actual[i]) is { } d) return $"problem {i} ({expected[i].Id}): {d}";
        return null;
    }

    public static string? Difference(ProblemRecord a, ProblemRecord b)
    {
        var ka = (a.Id, a.Sample, a.Outcome, Answer(a), a.Correct, a.TotalTokens, a.SampledTokens, a.SequentialTokens, a.Children, a.Spawns, a.Calls.Count);
        var kb = (b.Id, b.Sample, b.Outcome, Answer(b), b.Correct, b.TotalTokens, b.SampledTokens, b.SequentialTokens, b.Children, b.Spawns, b.Calls.Count);
        if (ka != kb) return $"{ka} vs {kb}";
        var ca = a.Calls.OrderBy(c => c.Thread, StringComparer.Ordinal).ThenBy(c => c.Call).ToList();
        var cb = b.Calls.OrderBy(c => c.Thread, StringComparer.Ordinal).ThenBy(c => c.Call).ToList();
        for (int i = 0; i < ca.Count; i++)
        {
            var (x, y) = (ca[i], cb[i]);
            var kx = (x.Thread, x.Parent, x.Call, x.Level, x.NodeId, x.PromptTokens, x.SharedPrefixTokens, x.Outcome, x.Detail, x.SpawnedChildren, x.Forwards, x.Started);
            var ky = (y.Thread, y.Parent, y.Call, y.Level, y.NodeId, y.PromptTokens, y.SharedPrefixTokens, y.Outcome, y.Detail, y.SpawnedChildren, y.Forwards, y.Started);
            if (kx != ky) return $"call {x.Thread}/{x.Call}: {kx} vs {ky}";
            if (x.Prompt != y.Prompt) return $"call {x.Thread}/{x.Call}: prompts differ";
            if (x.Completion != y.Completion) return $"call {x.Thread}/{x.Call}: completions differ:\n{x.Completion}\n---\n{y.Completion}";
            if (!x.Tokens.Select(t => (t.Id, t.Source)).SequenceEqual(y.Tokens.Select(t => (t.Id, t.Source)))) return $"call {x.Thread}/{x.Call}: tokens differ";
            float worst = x.Tokens.Zip(y.Tokens, (p, q) => Math.Abs(p.LogProb - q.LogProb)).DefaultIfEmpty(0).Max();
            if (!(worst <= LogProbTolerance)) return $"call {x.Thread}/{x.Call}: log-probs differ by {worst:G3}";
        }
        return null;
    }

    private static string Answer(ProblemRecord r) => r.Answer is null ? "" : string.Join(",", r.Answer);

    /// <summary>Stops a server the way a crash looks to its clients: the port closes.</summary>
    public static async Task KillAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
