// `apr export` writes a Hugging Face Llama checkpoint even from a checkpoint of an earlier version whose
// config.json held only the sizes: the exported config.json is the full LlamaConfig as ModelConfig writes
// it (what vLLM and SGLang read), in the manifest too, and the weights are copied byte for byte (the tensor
// names are HF's already; nothing is renamed or permuted).
using System.Text.Json.Nodes;
using Apr.Model;

namespace Apr.Cli.Tests;

public sealed class ExportHuggingFaceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-export-hf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_export_of_an_older_checkpoint_has_the_full_hugging_face_config_and_the_same_weights()
    {
        var run = Snapshots.FakeRun(_dir);
        var step = Path.Combine(run, "checkpoints", "step-000004");
        File.WriteAllText(Path.Combine(step, "config.json"), """
            {"vocab_size": 1300, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
             "intermediate_size": 64, "max_position_embeddings": 512, "rms_norm_eps": 1E-06, "rope_theta": 10000, "model_type": "llama"}
            """);
        var output = Path.Combine(_dir, "hf");
        var export = CliRunner.Run("export", "--from", run, "--out", output);
        Assert.True(export.ExitCode == 0, export.Err);

        var config = File.ReadAllText(Path.Combine(output, "config.json"));
        Assert.Equal(ModelConfig.Tiny(1300).ToJson() + "\n", config);
        Assert.Equal(ModelConfig.HuggingFaceFields, ((JsonObject)JsonNode.Parse(config)!).Select(p => p.Key));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")))!;
        Assert.Equal(ModelConfig.HuggingFaceFields, manifest["config"]!.AsObject().Select(p => p.Key));
        Assert.Equal(File.ReadAllBytes(Path.Combine(step, "model.safetensors")), File.ReadAllBytes(Path.Combine(output, "model.safetensors")));
    }
}
