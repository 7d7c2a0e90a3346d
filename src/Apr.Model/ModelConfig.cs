// The model's shape as one immutable record, saved as config.json beside every checkpoint: a Hugging Face
// LlamaConfig with its fields only (snake_case), so that transformers, vLLM and SGLang load a model directory
// as LlamaForCausalLM. Besides the sizes it writes what this model always is, spelled out rather than left to
// HF's defaults (architectures, model_type "llama", num_key_value_heads = num_attention_heads, head_dim,
// hidden_act "silu", rope_scaling null, no attention or MLP biases, untied embeddings, torch_dtype float32),
// and the trace tokenizer's bos/eos ids. Reading accepts any LlamaConfig whose fixed fields say this model
// (absent ones take HF's defaults, which are ours) and refuses one that would run differently (tied
// embeddings, grouped-query attention, rope scaling, biases, another activation), naming the field.
// Derived values (parameter counts, weight bytes, head size) are computed, never stored; config.json files
// of earlier versions (only the sizes, or also format_version and the parameter counts) still read.
// Knows sizes only: no tokenizer, no training settings. Every size has a
// hard upper bound far above anything this project trains (a config.json asking for 10^8 positions is
// refused with its field and file named, instead of allocating until the process dies); whether a valid
// shape fits this machine is MemoryBudget's question, asked where the model is built.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Apr.Model;

/// <summary>Shape of a Llama-style decoder. Use <see cref="Preset"/> for the named sizes; override with <c>with</c>.</summary>
public sealed record ModelConfig(
    int VocabSize,
    int HiddenSize,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int IntermediateSize,
    int MaxPositionEmbeddings,
    double RmsNormEps = 1e-6,
    double RopeTheta = 10_000)
{
    /// <summary>Always "llama": lets Hugging Face tools recognise the file.</summary>
    public string ModelType { get; init; } = "llama";

    /// <summary>Id of the beginning-of-sequence token (the trace tokenizer's BOS; HF's default too).</summary>
    public int BosTokenId { get; init; } = 1;

    /// <summary>Id of the end-of-sequence token (the trace tokenizer's EOS; HF's default too).</summary>
    public int EosTokenId { get; init; } = 2;

    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Preset names accepted by <see cref="Preset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "default"];

    /// <summary>
    /// A few thousand parameters per layer: trains in seconds in tests. 2 layers, hidden 32, 4 heads, MLP 64,
    /// context 512.
    /// </summary>
    public static ModelConfig Tiny(int vocabSize) => new(vocabSize, 32, 2, 4, 64, 512);

    /// <summary>
    /// The size for training on this project's 2-core CPU within about 2 hours: 4 layers, hidden 256, 8 heads,
    /// SwiGLU 688, context 4096; 3.16M non-embedding parameters (3.8M with embeddings and head at vocab 1300).
    /// Measured with bench/Apr.Bench.Training (float32, 2 threads, batch 16 x 512, full training step, best of
    /// alternating rounds on the shared machine), candidates in tokens/s: hidden 192 / 4 layers (1.8M) 6,272;
    /// hidden 256 / 4 layers (3.2M) 4,332-4,523 (PyTorch 1.13 on the same model: 1,802-1,943); hidden 256 /
    /// 6 layers (4.8M) and hidden 384 / 6 layers (10.6M) only measured under load (996, 660). So this size sees
    /// about 31M tokens in 2 hours when the machine is quiet (about 10M under the other helpers' load), and a
    /// 2.7M model given 10M tokens already learned the trace format (reference section 11); 6 layers or hidden
    /// 384 would see too few tokens. bfloat16 (--bf16) measured 1.4-1.5x faster. See bench/results/training.json.
    /// </summary>
    public static ModelConfig Default(int vocabSize) => new(vocabSize, 256, 4, 8, 688, 4096);

    /// <summary>The named preset ("tiny" or "default") for a tokenizer of <paramref name="vocabSize"/> ids.</summary>
    public static ModelConfig Preset(string name, int vocabSize) => name switch
    {
        "tiny" => Tiny(vocabSize),
        "default" => Default(vocabSize),
        _ => throw new ArgumentException($"unknown model preset '{name}'; known: {string.Join(", ", PresetNames)}", nameof(name)),
    };

    /// <summary>Largest accepted values of the sizes (far above this project's models; refused as absurd beyond).</summary>
    public const int MaxVocabSize = 1 << 20, MaxHiddenSize = 1 << 16, MaxLayers = 1024, MaxHeads = 1024, MaxIntermediateSize = 1 << 18, MaxPositions = 1 << 20;

    /// <summary>Fails fast when a size is out of range or sizes do not fit together; the message names the field and the range.</summary>
    public ModelConfig Validate()
    {
        InRange("vocab_size", VocabSize, MaxVocabSize);
        InRange("hidden_size", HiddenSize, MaxHiddenSize);
        InRange("num_hidden_layers", NumHiddenLayers, MaxLayers);
        InRange("num_attention_heads", NumAttentionHeads, MaxHeads);
        InRange("intermediate_size", IntermediateSize, MaxIntermediateSize);
        InRange("max_position_embeddings", MaxPositionEmbeddings, MaxPositions);
        if (!(RmsNormEps > 0 && RmsNormEps < 1)) throw new ArgumentException($"rms_norm_eps {RmsNormEps} is out of range: it must be in (0, 1)");
        if (!(RopeTheta > 1 && double.IsFinite(RopeTheta))) throw new ArgumentException($"rope_theta {RopeTheta} is out of range: it must be a finite number above 1");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (HeadDim % 2 != 0)
            throw new ArgumentException($"head dimension {HeadDim} must be even for rotary embeddings");
        return this;
    }

    private static void InRange(string field, int value, int max)
    {
        if (value < 1 || value > max)
            throw new ArgumentException($"{field} {value} is out of range: it must be 1 to {max.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>Bytes the model's float32 weights and rotary tables take once built (checked against MemoryBudget before building).</summary>
    [JsonIgnore] public double WeightBytes => 4.0 * ParameterCount + 16.0 * MaxPositionEmbeddings * HeadDim;

    /// <summary>Parameters of the model: embeddings, layers, final norm and LM head.</summary>
    [JsonIgnore] public long ParameterCount => 2L * VocabSize * HiddenSize + HiddenSize + NumHiddenLayers * LayerParameters;

    /// <summary>Parameters outside the embedding and LM head (the paper's "non-embedding" count).</summary>
    [JsonIgnore] public long NonEmbeddingParameterCount => HiddenSize + NumHiddenLayers * LayerParameters;

    long LayerParameters => 4L * HiddenSize * HiddenSize + 3L * HiddenSize * IntermediateSize + 2L * HiddenSize;

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>
    /// The LlamaConfig fields whose value is fixed by this architecture, as written; reading refuses a
    /// config.json that sets one of them to anything else (num_key_value_heads and head_dim are checked
    /// against the sizes instead).
    /// </summary>
    static readonly (string Field, JsonNode? Value)[] Fixed =
    [
        ("architectures", new JsonArray("LlamaForCausalLM")),
        ("model_type", "llama"),
        ("hidden_act", "silu"),
        ("rope_scaling", null),
        ("attention_bias", false),
        ("mlp_bias", false),
        ("tie_word_embeddings", false),
        ("torch_dtype", "float32"),
    ];

    /// <summary>The Hugging Face field names config.json holds, in the order written.</summary>
    public static IReadOnlyList<string> HuggingFaceFields { get; } =
    [
        "architectures", "model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
        "num_attention_heads", "num_key_value_heads", "head_dim", "hidden_act", "max_position_embeddings",
        "rms_norm_eps", "rope_theta", "rope_scaling", "attention_bias", "mlp_bias", "tie_word_embeddings",
        "bos_token_id", "eos_token_id", "torch_dtype",
    ];

    /// <summary>config.json: a Hugging Face LlamaConfig with exactly <see cref="HuggingFaceFields"/>.</summary>
    public string ToJson()
    {
        JsonNode? FixedValue(string field) => Fixed.Single(f => f.Field == field).Value?.DeepClone();
        var o = new JsonObject
        {
            ["architectures"] = FixedValue("architectures"),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumAttentionHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = FixedValue("hidden_act"),
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = FixedValue("rope_scaling"),
            ["attention_bias"] = FixedValue("attention_bias"),
            ["mlp_bias"] = FixedValue("mlp_bias"),
            ["tie_word_embeddings"] = FixedValue("tie_word_embeddings"),
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenId,
            ["torch_dtype"] = FixedValue("torch_dtype"),
        };
        return o.ToJsonString(Json);
    }

    public static ModelConfig FromJson(string json)
    {
        var config = (JsonSerializer.Deserialize<ModelConfig>(json, Json) ?? throw new ArgumentException("config.json is null")).Validate();
        if (JsonNode.Parse(json, documentOptions: Core.Json.Strict) is JsonObject o)
        {
            foreach (var (field, value) in Fixed)
                if (o.TryGetPropertyValue(field, out var given) && !JsonNode.DeepEquals(given, value))
                    throw new ArgumentException($"{field} {given?.ToJsonString() ?? "null"} is not supported: this model is {value?.ToJsonString() ?? "null"}");
            if (o["num_key_value_heads"] is { } kv && !(kv is JsonValue kvv && kvv.TryGetValue<int>(out var kvn) && kvn == config.NumAttentionHeads))
                throw new ArgumentException($"num_key_value_heads {kv.ToJsonString()} is not supported: this model has no grouped-query attention (num_attention_heads {config.NumAttentionHeads})");
            if (o["head_dim"] is { } hd && !(hd is JsonValue hdv && hdv.TryGetValue<int>(out var hdn) && hdn == config.HiddenSize / config.NumAttentionHeads))
                throw new ArgumentException($"head_dim {hd.ToJsonString()} is not supported: this model's head dimension is hidden_size / num_attention_heads = {config.HiddenSize / config.NumAttentionHeads}");
        }
        return config;
    }

    /// <summary>Reads and validates a config.json; any problem is an InvalidDataException naming the file.</summary>
    public static ModelConfig Load(string path)
    {
        var json = File.ReadAllText(path);
        try { return FromJson(json); }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }
}
