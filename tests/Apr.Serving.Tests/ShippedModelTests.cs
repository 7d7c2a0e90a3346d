// The server over the shipped APR model (models/apr), greedy: the chat answer and its record equal what
// the runtime's Solve gives for the same problem and seed on a session of the same size, decoded with the value
// its manifest links (ValueGuide.Linked) and told the budget a request without max_tokens gets (the largest it
// was trained on; its children too when its manifest says budget_children); without that value the record
// differs. /v1/models shows the model's manifest and its value.
// [Slow]: loading the model and a greedy APR solve take seconds.
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
    public async Task A_greedy_chat_answer_and_record_equal_the_runtimes_Solve_with_the_models_value_for_the_same_problem_and_seed()
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
            Assert.EndsWith("ranker45-mlp72k", (string)models["value_model"]!);
            Assert.Equal(128.0, (double)models["value_weight"]!);
            Assert.Equal(2, (int)models["value_exact_upto"]!);
            Assert.EndsWith("ranker456-45-mean", (string)models["value_model_by_size"]!["6"]!);
        }
        using var session = InferenceSession.Load(ModelDir, new SessionOptions(1, 11));
        using var value = ValueGuide.Linked(session.Conditioning);
        Assert.NotNull(value);
        var solve = new SolveOptions(SearchMethod.Apr, Guards: GuardOptions.Default with { ContextPerThread = session.Context }, Value: value,
            TellChildren: session.Conditioning.BudgetChildren);
        var item = MultiSample.Items([new CountdownProblem("chat", 27, [22, 26, 31, 53])], 1, 7)[0] with { TokenBudget = BudgetPrefix.For(null, SearchMethod.Apr, session.Conditioning) };
        var direct = session.Runtime(solve).Solve([item])[0];
        Assert.True(direct.Correct);
        Assert.Equal(ChatTests.Untimed(ProblemRecordJson.ToJson(direct)), ChatTests.Untimed(served));
        var plain = session.Runtime(solve with { Value = null }).Solve([item])[0];
        Assert.NotEqual(ChatTests.Untimed(ProblemRecordJson.ToJson(plain)), ChatTests.Untimed(served));
    }

    [Fact]
    public void A_model_whose_value_does_not_load_is_one_setup_error_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("apr-value-").FullName;
        try
        {
            using (var model = new Apr.Model.LlamaForCausalLm(Apr.Model.ModelConfig.Tiny(Apr.Tokenization.TraceTokenizer.Default.VocabSize))) Apr.Model.ModelFiles.Save(model, dir);
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), """{"value_model": "../no-such-ranker"}""");
            var e = Assert.Throws<InferenceSetupException>(() => ServedModel.Load(SearchMethod.Apr, dir, ChoicePolicy.Model, new SessionOptions(1, 2)));
            Assert.Contains("its value", e.Message);
            Assert.Contains("no-such-ranker", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
