// POST /update_weights_from_disk (SGLang's shape) on `apr serve`: bad requests are 400s that name the problem
// and leave the served weights alone; a good one answers {"success": true} (the RL test checks that the
// server then runs the new weights).
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Apr.Model;

namespace Apr.Remote.Tests;

public sealed class ReloadTests
{
    [Fact]
    public async Task Bad_reloads_are_400s_naming_the_problem_and_a_good_one_is_confirmed()
    {
        // A model of another width, beside the tiny one (in the test run's own temporary directory).
        var other = Path.Combine(Path.GetDirectoryName(Loopback.TinyModel)!, "wider");
        using (var model = new LlamaForCausalLm(ModelConfig.Tiny(Apr.Tokenization.TraceTokenizer.Default.VocabSize) with { HiddenSize = 64 })) ModelFiles.Save(model, other);
        var (app, url) = await Loopback.ServeAsync();
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = url };
        async Task<(int, JsonObject)> Post(object body)
        {
            using var response = await http.PostAsJsonAsync("update_weights_from_disk", body);
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }

        var (status, body) = await Post(new { });
        Assert.Equal((400, "'model_path' is required: the directory holding config.json and model.safetensors"), (status, (string)body["error"]!["message"]!));
        (status, body) = await Post(new { model_path = Path.Combine(other, "missing") });
        Assert.Equal(400, status);
        Assert.Contains("does not exist", (string)body["error"]!["message"]!);
        (status, body) = await Post(new { model_path = other });
        Assert.Equal(400, status);
        Assert.Contains("describes another model than the one served", (string)body["error"]!["message"]!);
        (status, body) = await Post(new { model_path = Loopback.TinyModel, model = "apr" });
        Assert.Equal(200, status);
        Assert.True((bool)body["success"]!);
        Assert.Equal(0, (int)body["num_paused_requests"]!);
    }
}
