// /v1/chat/completions with the no-model enumerate policy: the answer verifies and is the message text,
// the "apr" extension is the record the runtime's Solve writes for the same problem and seed, usage is
// every thread's tokens, streaming sends call events then the answer and [DONE], and the official OpenAI
// .NET client reads both forms.
#pragma warning disable OPENAI001 // ChatCompletionOptions.Seed is marked experimental by the OpenAI package; the server supports seeds
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Inference;
using Apr.Protocol;
using OpenAI;
using OpenAI.Chat;

namespace Apr.Serving.Tests;

public sealed class ChatTests
{
    private const string Problem = "Reach 27 from 22, 26, 31, 53";

    [Fact]
    public async Task A_chat_answer_verifies_and_its_extension_is_the_record_Solve_writes_for_the_same_problem_and_seed()
    {
        await using var server = await TestServerApp.StartAsync();
        var (status, body) = await server.PostAsync("/v1/chat/completions",
            $$"""{"model":"apr","seed":5,"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"{{Problem}}"}]}""");
        Assert.Equal(200, status);
        var choice = body["choices"]![0]!;
        var record = choice["apr"]!.AsObject();
        Assert.True((bool)record["correct"]!);
        var answer = record["answer"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.True(Verifier.Verify(27, [22, 26, 31, 53], answer.Select(Operation.Parse).ToList()).Ok);
        Assert.EndsWith("= 27", (string)choice["message"]!["content"]!);
        Assert.Equal((long)record["total_tokens"]!, (long)body["usage"]!["total_tokens"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
        Assert.Contains("[thread 0.0]", (string)choice["message"]!["reasoning_content"]!);

        using var session = InferenceSession.NoModel(new SessionOptions(1, 16));
        var options = new SolveOptions(SearchMethod.Apr, true, ChoicePolicy.Enumerate, Guards: GuardOptions.Default with { ContextPerThread = session.Context });
        var direct = session.Runtime(options).Solve(MultiSample.Items([new CountdownProblem("chat", 27, [22, 26, 31, 53])], 1, 5))[0];
        Assert.Equal(Untimed(ProblemRecordJson.ToJson(direct)), Untimed(record));
    }

    [Fact]
    public async Task The_OpenAI_client_reads_a_chat_answer_and_a_streamed_one_and_they_agree()
    {
        await using var server = await TestServerApp.StartAsync();
        var client = OpenAi(server).GetChatClient("apr");
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(Problem)], new ChatCompletionOptions { Seed = 1 });
        var text = completion.Content[0].Text;
        Assert.EndsWith("= 27", text);
        Assert.True(completion.Usage.TotalTokenCount > 0);

        var streamed = new System.Text.StringBuilder();
        int updates = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(Problem)], new ChatCompletionOptions { Seed = 1 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
        }
        Assert.Equal(text, streamed.ToString());
        Assert.True(updates > 3, $"{updates} updates: expected call events before the answer");
    }

    [Fact]
    public async Task A_stream_sends_call_starts_and_ends_then_each_answer_with_its_record_the_usage_and_DONE()
    {
        await using var server = await TestServerApp.StartAsync();
        using var response = await server.PostJsonAsync("/v1/chat/completions",
            """{"stream":true,"n":2,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"{\"target\":27,\"nums\":[22,26,31,53]}"}]}""");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var (chunks, done) = Sse.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        var events = chunks.Where(c => c["apr_event"] is not null).Select(c => c["apr_event"]!).ToList();
        Assert.Equal("call_start", (string)events[0]!["type"]!);
        Assert.Contains(events, e => (string)e!["type"]! == "call_end" && (string)e["thread"]! == "0.0");
        var answers = chunks.Where(c => c["choices"]!.AsArray().Count == 1 && c["choices"]![0]!["finish_reason"] is not null).ToList();
        Assert.Equal([0, 1], answers.Select(a => (int)a["choices"]![0]!["index"]!).Order());
        Assert.All(answers, a => Assert.True((bool)a["choices"]![0]!["apr"]!["correct"]!));
        var usage = chunks[^1]["usage"]!;
        long total = answers.Sum(a => (long)a["choices"]![0]!["apr"]!["total_tokens"]!);
        Assert.Equal(total, (long)usage["total_tokens"]!);
    }

    [Fact]
    public async Task The_sosp_model_answers_with_one_thread()
    {
        await using var server = await TestServerApp.StartAsync();
        var (status, body) = await server.PostAsync("/v1/chat/completions", """{"model":"sosp","messages":[{"role":"user","content":"make 24 with 4, 6, 8, 2"}]}""");
        Assert.Equal(200, status);
        var record = body["choices"]![0]!["apr"]!;
        Assert.Equal("sosp", (string)record["method"]!);
        Assert.Equal(1, (int)record["thread_count"]!);
        Assert.True((bool)record["correct"]!);
    }

    [Fact]
    public async Task Health_models_and_metrics_answer()
    {
        await using var server = await TestServerApp.StartAsync();
        Assert.Equal("ok", (string)JsonNode.Parse(await server.Client.GetStringAsync("/health"))!["status"]!);
        var models = JsonNode.Parse(await server.Client.GetStringAsync("/v1/models"))!["data"]!.AsArray();
        Assert.Equal(["apr", "sosp"], models.Select(m => (string)m!["id"]!));
        Assert.Equal(2048, (int)models[0]!["max_model_len"]!);
        await server.PostAsync("/v1/chat/completions", $$"""{"messages":[{"role":"user","content":"{{Problem}}"}]}""");
        var metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("apr_requests_total{endpoint=\"/v1/chat/completions\",status=\"200\"} 1", metrics);
        Assert.Contains("apr_kv_slots_in_use{model=\"apr\"} 0", metrics);
        Assert.Matches(@"apr_completion_tokens_total [1-9]\d*", metrics);
    }

    internal static OpenAIClient OpenAi(TestServerApp server) => new(new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(server.Client.BaseAddress!, "/v1"), Transport = new HttpClientPipelineTransport(server.Client) });

    /// <summary>The record without what depends on the clock or the engine's step count when it started (latency, start/end ms and steps).</summary>
    internal static string Untimed(JsonObject record)
    {
        var copy = record.DeepClone().AsObject();
        copy.Remove("latency_ms");
        copy.Remove("id");
        foreach (var t in copy["threads"]!.AsArray())
            foreach (var key in new[] { "start_ms", "end_ms", "start_step", "end_step" }) t!.AsObject().Remove(key);
        return copy.ToJsonString();
    }
}
