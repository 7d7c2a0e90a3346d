// The model's shape as one immutable record, saved as config.json beside every checkpoint (Hugging Face
// Llama field names, snake_case). Knows sizes only: no tokenizer, no training settings.
using System.Text.Json;
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
    /// <summary>Format of config.json; bumped when a field changes meaning.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Always "llama": lets Hugging Face tools recognise the file.</summary>
    public string ModelType { get; init; } = "llama";

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

    /// <summary>Fails fast when sizes do not fit together.</summary>
    public ModelConfig Validate()
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || IntermediateSize <= 0 || MaxPositionEmbeddings <= 0)
            throw new ArgumentException($"every size must be positive: {this}");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (HeadDim % 2 != 0)
            throw new ArgumentException($"head dimension {HeadDim} must be even for rotary embeddings");
        return this;
    }

    /// <summary>Parameters of the model: embeddings, layers, final norm and LM head.</summary>
    public long ParameterCount => 2L * VocabSize * HiddenSize + HiddenSize + NumHiddenLayers * LayerParameters;

    /// <summary>Parameters outside the embedding and LM head (the paper's "non-embedding" count).</summary>
    public long NonEmbeddingParameterCount => HiddenSize + NumHiddenLayers * LayerParameters;

    long LayerParameters => 4L * HiddenSize * HiddenSize + 3L * HiddenSize * IntermediateSize + 2L * HiddenSize;

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ModelConfig FromJson(string json) =>
        (JsonSerializer.Deserialize<ModelConfig>(json, Json) ?? throw new ArgumentException("config.json is null")).Validate();
}
