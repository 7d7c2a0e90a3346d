// The server over the shipped APR model (models/apr), greedy: the chat answer and its record equal what
// the runtime's Solve gives for the same problem and seed on a session of the same size, and
// /v1/models shows the model's manifest; a model whose manifest links a value (models/apr56) is served with it, as
// Solve decodes it with that value. [Slow]: loading the model and a greedy APR solve take seconds.
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Inference;
using Apr.Protocol;
using Apr.Testing;

namespace Apr.Serving.Tests;

[Slow]
public sealed class ShippedModelTests
{
    private static string ModelDir => Path.Combine(TestPaths.RepoRoot, "models", "apr");

    [Fact]
    public async Task A_greedy_chat_answer_and_record_equal_the_runtimes_Solve_for_the_same_problem_and_seed()
    {
        // 11 slots: one APR problem in flight (1 + 10 children), as in the direct Solve below.
        var options = new ServeOptions { AprModel = ModelDir, Threads = 1, Slots = 11 };
        JsonObject served;
        await using (var server = await TestServerApp.StartAsync(options))
        {
            var (status, body) = await server.PostAsync("/v1/chat/completions",
                """{"model":"apr","temperature":0,"seed":7,"messages":[{"role":"user","content":"Reach 27 from 22, 26, 31, 53"}]}""");
            Assert.Equal(200, status);
            served = body["choices"]![0]!["apr"]!.AsObject();
            var models = JsonNode.Parse(await server.Client.GetStringAsync("/v1/models"))!["data"]![0]!;
            Assert.Equal("apr", (string)models["manifest"]!["name"]!);
            Assert.Equal(3830016, (long)models["manifest"]!["parameters"]!);
        }
        using var session = InferenceSession.Load(ModelDir, new SessionOptions(1, 11));
        var solve = new SolveOptions(SearchMethod.Apr, Guards: GuardOptions.Default with { ContextPerThread = session.Context });
        var direct = session.Runtime(solve).Solve(MultiSample.Items([new CountdownProblem("chat", 27, [22, 26, 31, 53])], 1, 7))[0];
        Assert.True(direct.Correct);
        Assert.Equal(ChatTests.Untimed(ProblemRecordJson.ToJson(direct)), ChatTests.Untimed(served));
    }
    [Fact]
    public async Task A_model_that_links_a_value_is_served_with_it()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "models", "apr56");
        static ValueGuide Guide(ModelConditioning c) => new(Apr.Evaluation.ReachabilityScorer.Load(c.ValueModel!), c.ValueWeight!.Value) { Source = c.ValueModel };
        var options = new ServeOptions { AprModel = dir, Threads = 1, Slots = 11, AprValue = Guide };
        JsonObject served;
        await using (var server = await TestServerApp.StartAsync(options))
        {
            var (status, body) = await server.PostAsync("/v1/chat/completions",
                """{"model":"apr","temperature":0,"seed":7,"max_tokens":4000,"messages":[{"role":"user","content":"Reach 98 from 74, 34, 85, 49, 6"}]}""");
            Assert.Equal(200, status);
            served = body["choices"]![0]!["apr"]!.AsObject();
            var model = JsonNode.Parse(await server.Client.GetStringAsync("/v1/models"))!["data"]![0]!;
            Assert.EndsWith("ranker5-mlp", (string)model["value_model"]!);
            Assert.Equal(64.0, (double)model["value_weight"]!);
        }
        using var session = InferenceSession.Load(dir, new SessionOptions(1, 11));
        using var value = Guide(session.Conditioning);
        var solve = new SolveOptions(SearchMethod.Apr, Guards: GuardOptions.Default with { ContextPerThread = session.Context }, Value: value);
        var item = MultiSample.Items([new CountdownProblem("chat", 98, [74, 34, 85, 49, 6])], 1, 7)[0] with { Budget = 4000, TokenBudget = BudgetPrefix.For(4000, SearchMethod.Apr, session.Conditioning) };
        var direct = session.Runtime(solve).Solve([item])[0];
        Assert.Equal(ChatTests.Untimed(ProblemRecordJson.ToJson(direct)), ChatTests.Untimed(served));
        // Without its value the same model answers otherwise: the value orders its choices.
        var plain = session.Runtime(solve with { Value = null }).Solve([item])[0];
        Assert.NotEqual(ChatTests.Untimed(ProblemRecordJson.ToJson(plain)), ChatTests.Untimed(served));
    }
}
