// A saved model directory is a Hugging Face Llama checkpoint: config.json holds exactly LlamaConfig's field
// set with the values that make transformers, vLLM and SGLang build this model (LlamaForCausalLM, untied
// head, no grouped-query attention, silu, no rope scaling, no biases), and model.safetensors holds exactly
// HF's parameter names and shapes, float32. The expected names are spelled out here from HF's scheme, not
// read from our modules, and the file's header is parsed by hand (as vLLM's loader sees it). Also: configs
// that would make HF run a different model are refused on load; HF's own extra fields are accepted.
using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Apr.Model.Tests;

public sealed class HuggingFaceLayoutTests
{
    private const int Vocab = 100;

    [Fact]
    public void A_saved_tiny_model_has_hugging_face_llama_config_fields_and_tensor_names_exactly()
    {
        TorchSetup.Seed(1);
        var config = ModelConfig.Tiny(Vocab);
        using var model = new LlamaForCausalLm(config);
        string dir = Directory.CreateTempSubdirectory("apr-hf-").FullName;
        try
        {
            ModelFiles.Save(model, dir);

            var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
            Assert.Equal(
                ["architectures", "model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                 "num_attention_heads", "num_key_value_heads", "head_dim", "hidden_act", "max_position_embeddings",
                 "rms_norm_eps", "rope_theta", "rope_scaling", "attention_bias", "mlp_bias", "tie_word_embeddings",
                 "bos_token_id", "eos_token_id", "torch_dtype"],
                json.Select(p => p.Key));
            Assert.Equal("""["LlamaForCausalLM"]""", json["architectures"]!.ToJsonString());
            Assert.Equal("llama", (string?)json["model_type"]);
            Assert.Equal(Vocab, (int)json["vocab_size"]!);
            Assert.Equal(32, (int)json["hidden_size"]!);
            Assert.Equal(64, (int)json["intermediate_size"]!);
            Assert.Equal(2, (int)json["num_hidden_layers"]!);
            Assert.Equal(4, (int)json["num_attention_heads"]!);
            Assert.Equal(4, (int)json["num_key_value_heads"]!);
            Assert.Equal(8, (int)json["head_dim"]!);
            Assert.Equal("silu", (string?)json["hidden_act"]);
            Assert.Equal(512, (int)json["max_position_embeddings"]!);
            Assert.Equal(1e-6, (double)json["rms_norm_eps"]!);
            Assert.Equal(10_000.0, (double)json["rope_theta"]!);
            Assert.Null(json["rope_scaling"]);
            Assert.False((bool)json["attention_bias"]!);
            Assert.False((bool)json["mlp_bias"]!);
            Assert.False((bool)json["tie_word_embeddings"]!);
            Assert.Equal(1, (int)json["bos_token_id"]!);
            Assert.Equal(2, (int)json["eos_token_id"]!);
            Assert.Equal("float32", (string?)json["torch_dtype"]);

            int c = 32, f = 64;
            var expected = new List<(string, long[])> { ("model.embed_tokens.weight", [Vocab, c]) };
            for (int i = 0; i < 2; i++)
            {
                string p = $"model.layers.{i}.";
                expected.Add((p + "input_layernorm.weight", [c]));
                foreach (var proj in new[] { "q_proj", "k_proj", "v_proj", "o_proj" }) expected.Add(($"{p}self_attn.{proj}.weight", [c, c]));
                expected.Add((p + "post_attention_layernorm.weight", [c]));
                expected.Add((p + "mlp.gate_proj.weight", [f, c]));
                expected.Add((p + "mlp.up_proj.weight", [f, c]));
                expected.Add((p + "mlp.down_proj.weight", [c, f]));
            }
            expected.Add(("model.norm.weight", [c]));
            expected.Add(("lm_head.weight", [Vocab, c])); // untied: its own tensor
            var header = Header(Path.Combine(dir, "model.safetensors"));
            Assert.Equal(expected.Select(e => e.Item1).Order(StringComparer.Ordinal), header.Where(p => p.Key != "__metadata__").Select(p => p.Key).Order(StringComparer.Ordinal));
            foreach (var (name, shape) in expected)
            {
                Assert.Equal("F32", (string?)header[name]!["dtype"]);
                Assert.Equal(shape, header[name]!["shape"]!.AsArray().Select(n => (long)n!));
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("tie_word_embeddings", "true")]
    [InlineData("num_key_value_heads", "2")]
    [InlineData("hidden_act", "\"gelu\"")]
    [InlineData("rope_scaling", """{"type": "linear", "factor": 2.0}""")]
    [InlineData("attention_bias", "true")]
    [InlineData("head_dim", "16")]
    [InlineData("model_type", "\"mistral\"")]
    public void A_config_that_would_make_hugging_face_run_a_different_model_is_refused_naming_the_field(string field, string value)
    {
        var json = (JsonObject)JsonNode.Parse(ModelConfig.Tiny(Vocab).ToJson())!;
        json[field] = JsonNode.Parse(value);
        var e = Assert.Throws<ArgumentException>(() => ModelConfig.FromJson(json.ToJsonString()));
        Assert.StartsWith(field + " ", e.Message);
    }

    [Fact]
    public void A_config_with_hugging_faces_other_fields_and_defaults_reads_as_the_same_model()
    {
        var json = (JsonObject)JsonNode.Parse(ModelConfig.Tiny(Vocab).ToJson())!;
        json["initializer_range"] = 0.02;
        json["use_cache"] = true;
        json["pretraining_tp"] = 1;
        json["transformers_version"] = "4.46.0";
        json.Remove("head_dim");
        json.Remove("num_key_value_heads");
        Assert.Equal(ModelConfig.Tiny(Vocab), ModelConfig.FromJson(json.ToJsonString()));
    }

    // The safetensors header: 8-byte little-endian length, then that many bytes of JSON.
    private static JsonObject Header(string path)
    {
        var bytes = File.ReadAllBytes(path);
        long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        return (JsonObject)JsonNode.Parse(bytes.AsSpan(8, (int)n))!;
    }
}
