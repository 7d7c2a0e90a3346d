// Greedy records through --backend equal the in-process records (same model, problems and seed): 20
// problems, APR, guided and unguided, against one real `apr serve` on loopback. Greedy runs use the
// shipped APR model (a random model gives up at once under greedy guided decoding) with 384 tokens per
// thread, enough for spawns and children and quick on two cores. No total-token budget: where a
// problem's shared budget runs out depends on which thread's answer comes back first, so a budget's
// last token may go to another thread than in process (README, "Remote decoding"). Everything but timing
// and cache reuse must agree: answers, outcomes, every call's prompt, completion, token ids and sources,
// token counts; log-probs within 1e-4. A temperature-1 run agrees too (the client samples from the
// server's distribution with the call's own stream), which is what RL through servers needs.
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Remote.Tests;

[Apr.Testing.Slow]
public sealed class EqualityTests
{
    private static string Shipped => Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "apr");

    private static SolveOptions Options(bool guided, double temperature) => new(SearchMethod.Apr, guided,
        Sampling: new SamplingOptions(temperature), Guards: GuardOptions.Default with { ContextPerThread = guided ? 384 : 192 });

    private static async Task<IReadOnlyList<ProblemRecord>> AssertSameRecords(string model, bool guided, int problems, double temperature = 0)
    {
        var items = MultiSample.Items(Loopback.Problems(problems), 1, 5);
        IReadOnlyList<ProblemRecord> local;
        using (var session = InferenceSession.Load(model, new SessionOptions(1, 32, 512)))
            local = session.Runtime(Options(guided, temperature)).Solve(items);

        var (app, url) = await Loopback.ServeAsync(model);
        await using var _ = app;
        using var backend = new RemoteBackend(Loopback.Fast(url));
        using var remote = InferenceSession.Load(model, new SessionOptions(1, 32, 512, backend));
        var served = await Task.Run(() => remote.Runtime(Options(guided, temperature)).Solve(items));

        var difference = Loopback.Difference(local, served);
        Assert.True(difference is null, difference);
        Assert.Equal(0, backend.Stats.FailedRequests);
        Assert.True(backend.Stats.Requests >= problems, $"{backend.Stats.Requests} requests for {problems} problems");
        return local;
    }

    [Fact]
    public async Task Greedy_guided_records_through_the_backend_equal_the_in_process_records()
    {
        var records = await AssertSameRecords(Shipped, guided: true, problems: 20);
        Assert.Contains(records, r => r.Children > 0); // children went through the server too
    }

    [Fact]
    public Task Greedy_unguided_records_through_the_backend_equal_the_in_process_records() => AssertSameRecords(Shipped, guided: false, problems: 20);

    [Fact]
    public async Task Guided_records_at_temperature_1_equal_too_because_the_client_draws_from_its_own_stream()
    {
        var records = await AssertSameRecords(Loopback.TinyModel, guided: true, problems: 6, temperature: 1);
        Assert.Contains(records, r => r.Children > 0);
    }
}
