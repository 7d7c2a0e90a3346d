// ModelConfig: JSON field names, round trip, presets and validation.
namespace Apr.Model.Tests;

public sealed class ModelConfigTests
{
    [Fact]
    public void Json_uses_hugging_face_snake_case_names_and_round_trips()
    {
        var config = ModelConfig.Default(1234);
        string json = config.ToJson();
        foreach (var field in new[] { "\"vocab_size\": 1234", "\"hidden_size\": 256", "\"num_hidden_layers\": 4", "\"num_attention_heads\": 8",
                                      "\"intermediate_size\": 688", "\"max_position_embeddings\": 4096", "\"rms_norm_eps\": 1E-06", "\"rope_theta\": 10000", "\"model_type\": \"llama\"" })
            Assert.Contains(field, json);
        Assert.Equal(config, ModelConfig.FromJson(json));
    }

    [Fact]
    public void Config_json_holds_hugging_face_fields_only()
    {
        Assert.Equal("""
            {
              "architectures": [
                "LlamaForCausalLM"
              ],
              "model_type": "llama",
              "vocab_size": 1300,
              "hidden_size": 256,
              "intermediate_size": 688,
              "num_hidden_layers": 4,
              "num_attention_heads": 8,
              "num_key_value_heads": 8,
              "head_dim": 32,
              "hidden_act": "silu",
              "max_position_embeddings": 4096,
              "rms_norm_eps": 1E-06,
              "rope_theta": 10000,
              "rope_scaling": null,
              "attention_bias": false,
              "mlp_bias": false,
              "tie_word_embeddings": false,
              "bos_token_id": 1,
              "eos_token_id": 2,
              "torch_dtype": "float32"
            }
            """, ModelConfig.Default(1300).ToJson().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_config_json_of_an_earlier_version_with_derived_fields_still_reads()
    {
        const string old = """
            {
              "vocab_size": 1300, "hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 8,
              "intermediate_size": 688, "max_position_embeddings": 4096, "rms_norm_eps": 1E-06, "rope_theta": 10000,
              "format_version": 1, "model_type": "llama", "parameter_count": 3830016, "non_embedding_parameter_count": 3164416
            }
            """;
        var config = ModelConfig.FromJson(old);
        Assert.Equal(ModelConfig.Default(1300), config);
        Assert.Equal(3_830_016, config.ParameterCount);
    }

    [Fact]
    public void Parameter_count_matches_the_sum_worked_by_hand_for_tiny()
    {
        // vocab 100, C 32, F 64, 2 layers: embeddings 2*100*32 = 6400; per layer 4*32*32 + 3*32*64 + 2*32 = 10304;
        // final norm 32: 6400 + 2*10304 + 32 = 27040.
        Assert.Equal(27_040, ModelConfig.Tiny(100).ParameterCount);
    }

    [Fact]
    public void Unknown_preset_and_bad_head_split_fail_with_the_values()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelConfig.Preset("huge", 10));
        Assert.Contains("huge", e.Message);
        var bad = Assert.Throws<ArgumentException>(() => (ModelConfig.Tiny(10) with { NumAttentionHeads = 5 }).Validate());
        Assert.Contains("32", bad.Message);
    }
}
