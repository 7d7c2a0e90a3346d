// Servers that go away or misbehave: the run never hangs, each problem either gets the records it would
// have had in process (its requests moved to another server) or is recorded as failed with the error
// (ThreadOutcome.BackendError), and the rest go on. Temperature-1 guided runs on the tiny model: many
// short requests, children included, in a second or two per server.
using System.Text;
using Apr.Inference;
using Apr.Protocol;
using Microsoft.AspNetCore.Http;

namespace Apr.Remote.Tests;

public sealed class FailureTests
{
    private static SolveOptions Options => new(SearchMethod.Apr, Sampling: new SamplingOptions(1), Guards: GuardOptions.Default with { ContextPerThread = 512 });

    private static IReadOnlyList<ProblemRecord> InProcess(IReadOnlyList<SolveItem> items)
    {
        using var session = InferenceSession.Load(Loopback.TinyModel, new SessionOptions(1, 32, 512));
        return session.Runtime(Options).Solve(items);
    }

    [Fact]
    public async Task Three_servers_share_the_problems_and_when_one_is_killed_mid_run_its_problems_move_to_the_others()
    {
        var items = MultiSample.Items(Loopback.Problems(24), 1, 9);
        var local = InProcess(items);
        var servers = new List<(Microsoft.AspNetCore.Builder.WebApplication App, Uri Url)>();
        for (int i = 0; i < 3; i++) servers.Add(await Loopback.ServeAsync());
        try
        {
            using var backend = new RemoteBackend(Loopback.Fast([.. servers.Select(s => s.Url)]));
            using var session = InferenceSession.Load(Loopback.TinyModel, new SessionOptions(1, 16, 512, backend));
            var run = Task.Run(() => session.Runtime(Options with { MaxConcurrentProblems = 4 }).Solve(items));
            // Four problems in flight of 24, and the busiest server killed as soon as every server has answered
            // (the ports, and so the routing, differ per run): about 20 problems are still queued, a third of them
            // routed to the victim, so its requests must fail over. It is stopped gracefully (its requests in flight
            // are answered), so a kill late in the run could find it with no work left and nothing to retry.
            for (int i = 0; i < 2000 && backend.RequestsPerServer.Min(s => s.Requests) < 1 && !run.IsCompleted; i++) await Task.Delay(5);
            Assert.False(run.IsCompleted, "the run ended before the kill: the test never reached mid-run");
            int victim = Enumerable.Range(0, 3).MaxBy(i => backend.RequestsPerServer[i].Requests);
            long before = backend.RequestsPerServer[victim].Requests;
            await Loopback.KillAsync(servers[victim].App);
            var served = await run.WaitAsync(TimeSpan.FromMinutes(3)); // nothing hangs

            Assert.True(before > 0, "the killed server had answered nothing");
            Assert.True(backend.RequestsPerServer.Count(s => s.Requests > 0) >= 2, "the problems were not spread over the servers");
            Assert.True(backend.Stats.Retries > 0, $"no request was retried after the kill (requests per server: before {before}, " +
                $"in all {string.Join(" / ", backend.RequestsPerServer.Select(s => s.Requests))})");
            // Moved problems finish as they would have in process; none is lost.
            var difference = Loopback.Difference(local, served);
            Assert.True(difference is null, difference);
            Assert.Equal(0, served.Count(r => r.Outcome == ThreadOutcome.BackendError));
        }
        finally
        {
            foreach (var (app, _) in servers) await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task When_the_only_server_is_killed_mid_run_the_remaining_problems_are_recorded_as_failed_and_the_run_ends()
    {
        var items = MultiSample.Items(Loopback.Problems(8), 1, 9);
        var (app, url) = await Loopback.ServeAsync();
        using var backend = new RemoteBackend(Loopback.Fast(url) with { Retries = 2 });
        using var session = InferenceSession.Load(Loopback.TinyModel, new SessionOptions(1, 4, 512, backend));
        var runtime = session.Runtime(Options with { MaxConcurrentProblems = 2 });
        var run = Task.Run(() => runtime.Solve(items));
        for (int i = 0; i < 600 && backend.Stats.Requests < 30 && !run.IsCompleted; i++) await Task.Delay(10);
        await Loopback.KillAsync(app);
        var served = await run.WaitAsync(TimeSpan.FromMinutes(2));

        var failed = served.Where(r => r.Outcome == ThreadOutcome.BackendError).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.Contains(url.ToString(), r.Calls.Last(c => c.Outcome == ThreadOutcome.BackendError).Detail));
        Assert.All(failed, r => Assert.Contains("gave up after 3 attempts", r.Calls.Last(c => c.Outcome == ThreadOutcome.BackendError).Detail));
        Assert.Equal(items.Count, served.Count);
    }

    public static TheoryData<string, string> Misbehaving => new()
    {
        { "500", "answered HTTP 500: the model fell over" },
        { "429", "answered HTTP 429: busy" },
        { "not json", "answered a bad completion: the body is not JSON" },
        { "no choices", "answered a bad completion: no choices[0] object" },
        { "foreign token", "is not one of the" },
        { "400", "answered HTTP 400: 'prompt' is wrong" },
    };

    [Theory]
    [MemberData(nameof(Misbehaving))]
    public async Task A_server_that_answers_errors_or_garbage_fails_each_problem_cleanly_with_the_error(string kind, string expected)
    {
        int calls = 0;
        var (app, url) = await Loopback.FakeAsync(async ctx =>
        {
            Interlocked.Increment(ref calls);
            (int status, string body) = kind switch
            {
                "500" => (500, """{"error":{"message":"the model fell over"}}"""),
                "429" => (429, """{"error":{"message":"busy"}}"""),
                "not json" => (200, "<html>proxy error</html>"),
                "no choices" => (200, """{"choices":[]}"""),
                "foreign token" => (200, """{"choices":[{"logprobs":{"top_logprobs":[{"token_id:1299":-0.1}]}}]}"""),
                _ => (400, """{"error":{"message":"'prompt' is wrong"}}"""),
            };
            ctx.Response.StatusCode = status;
            if (status == 429) ctx.Response.Headers.RetryAfter = "0";
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        });
        await using var _ = app;
        var items = MultiSample.Items(Loopback.Problems(3), 1, 9);
        using var backend = new RemoteBackend(Loopback.Fast(url) with { Retries = 2 });
        using var session = InferenceSession.Load(Loopback.TinyModel, new SessionOptions(1, 16, 512, backend));
        var served = await Task.Run(() => session.Runtime(Options).Solve(items)).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(3, served.Count);
        Assert.All(served, r => Assert.Equal(ThreadOutcome.BackendError, r.Outcome));
        Assert.All(served, r => Assert.Contains(expected, r.Calls.Single(c => c.Outcome == ThreadOutcome.BackendError).Detail));
        bool retried = kind is "500" or "429";
        Assert.Equal(retried ? 9 : 3, calls); // retryable errors: 3 attempts per problem; the rest: none
    }
}
