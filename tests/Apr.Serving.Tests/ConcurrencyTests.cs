// Many clients at once on the one engine loop: chat and completion requests batched together all answer
// and every chat answer verifies; clients that go away mid-request (streaming or not) have their work
// cancelled, so the engine ends with no problem in flight and no KV-cache slot held, and keeps serving.
using System.Text.Json.Nodes;
using Apr.Countdown;

namespace Apr.Serving.Tests;

public sealed class ConcurrencyTests
{
    private static readonly (long Target, long[] Nums)[] Problems =
        [(27, [22, 26, 31, 53]), (24, [4, 6, 8, 2]), (31, [26, 29, 12, 57]), (10, [2, 3, 4, 5])];

    [Fact]
    public async Task Sixteen_clients_mixing_chat_and_completions_all_get_answers_and_every_chat_answer_verifies()
    {
        await using var server = await TestServerApp.StartAsync();
        var tasks = Enumerable.Range(0, 16).Select(async i =>
        {
            if (i % 2 == 1) return await server.PostAsync("/v1/completions", $$"""{"prompt":"Current State: ","max_tokens":20,"seed":{{i}}}""");
            var (target, nums) = Problems[i / 2 % Problems.Length];
            var model = target == 24 ? "sosp" : "apr"; // the enumerating SoS+ thread runs out of context on the others
            return await server.PostAsync("/v1/chat/completions",
                $$"""{"model":"{{model}}","stream":false,"messages":[{"role":"user","content":"Reach {{target}} from {{string.Join(", ", nums)}}"}]}""");
        }).ToList();
        var results = await Task.WhenAll(tasks);
        for (int i = 0; i < results.Length; i++)
        {
            var (status, body) = results[i];
            Assert.Equal(200, status);
            if (i % 2 == 1) continue;
            var record = body["choices"]![0]!["apr"]!;
            var (target, nums) = Problems[i / 2 % Problems.Length];
            var answer = record["answer"]!.AsArray().Select(a => Operation.Parse((string)a!)).ToList();
            Assert.True(Verifier.Verify(target, nums, answer).Ok, $"client {i}: {record.ToJsonString()}");
        }
        await server.WaitIdleAsync();
        Assert.Equal(0, server.State.Loop.SlotsInUse);
    }

    [Fact]
    public async Task Clients_that_disconnect_free_their_slots_and_the_server_keeps_serving()
    {
        // Slow enough to cancel mid-way: a big budget of enumeration per request on a few slots.
        await using var server = await TestServerApp.StartAsync(TestServerApp.NoModel with { Slots = 11 });
        const string chat = """{"stream":true,"n":4,"messages":[{"role":"user","content":"Reach 997 from 3, 7, 11, 13, 17, 19"}]}""";
        var cancelled = Enumerable.Range(0, 6).Select(async i =>
        {
            using var cts = new CancellationTokenSource();
            try
            {
                if (i % 2 == 0)
                {
                    using var response = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
                    { Content = new StringContent(chat, System.Text.Encoding.UTF8, "application/json") }, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                    using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
                    var buffer = new byte[256];
                    Assert.True(await stream.ReadAsync(buffer, cts.Token) > 0); // the first chunk: the request is accepted
                    // The first chunk can leave before the engine's first step; cancel once the engine has stepped,
                    // so that what is cancelled is work in progress (the deadline only guards against a hang).
                    var deadline = DateTime.UtcNow.AddSeconds(60);
                    while (server.State.Loop.Counters.Sum(c => c.Steps) == 0 && DateTime.UtcNow < deadline) await Task.Delay(5);
                    cts.Cancel();
                }
                else
                {
                    cts.CancelAfter(50);
                    using var _ = await server.PostJsonAsync("/v1/completions", """{"prompt":"x","max_tokens":2000,"n":4}""", cts.Token);
                }
            }
            catch (OperationCanceledException) { }
        }).ToList();
        await Task.WhenAll(cancelled);
        await server.WaitIdleAsync();
        var counters = server.State.Loop.Counters;
        Assert.All(counters, c => Assert.Equal((0, 0, 0, 0), (c.SlotsInUse, c.ProblemsInFlight, c.ProblemsPending, c.PlainCalls)));
        Assert.True(counters.Sum(c => c.Steps) > 0);
        Assert.Equal(0, server.State.Gate.Running);
        var (status, body) = await server.PostAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"Reach 27 from 22, 26, 31, 53"}]}""");
        Assert.Equal(200, status);
        Assert.True((bool)body["choices"]![0]!["apr"]!["correct"]!);
    }
}
