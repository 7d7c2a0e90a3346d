// The decoder stack without the LM head: embed_tokens, layers, final norm (HF's LlamaModel).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>Token embedding, decoder layers and the final RMSNorm; returns hidden states.</summary>
public sealed class LlamaModel : nn.Module
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding _rope;

    public LlamaModel(ModelConfig config) : base(nameof(LlamaModel))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = new ModuleList<LlamaDecoderLayer>();
        for (int i = 0; i < config.NumHiddenLayers; i++)
            layers.Add(new LlamaDecoderLayer(config));
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        _rope = new RotaryEmbedding(config.HeadDim, config.MaxPositionEmbeddings, config.RopeTheta);
        RegisterComponents();
    }

    /// <summary>
    /// Hidden states (B, T, C) for ids (B, T); with a cache, positions continue each slot's length. With
    /// <paramref name="direct"/> (only when <see cref="CanRunDirect"/>), ids are the step's valid tokens
    /// packed as (N, 1) and attention runs in C# (<see cref="DecodeAttention"/>); otherwise the torch path.
    /// </summary>
    internal Tensor Forward(Tensor ids, KvCache? cache, CacheStep? step, bool direct = false)
    {
        using var scope = NewDisposeScope();
        long t = ids.shape[1];
        if (cache is null && t > _rope.MaxPositions)
            throw new ArgumentException($"sequence length {t} exceeds max_position_embeddings {_rope.MaxPositions}");
        if (direct && (cache is null || step is null || !CanRunDirect(cache) || t != 1 || ids.shape[0] != step.TokenCount))
            throw new ArgumentException($"the direct path needs a cache step, float32 CPU weights without autograd and packed (N, 1) ids; got [{string.Join(", ", ids.shape)}]");
        var x = embed_tokens.forward(ids); // (B, T, C), or (N, 1, C) packed
        Tensor? cos = null, sin = null; // (1|B, 1, T, D) tables of the torch path; the direct path reads _rope's arrays
        if (!direct) (cos, sin) = step is null ? _rope.Prefix(t) : _rope.At(step.Positions);
        for (int i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, cos, sin, _rope, i, cache, step); // (B, T, C)
        return (direct ? norm.ForwardDirect(x) : norm.forward(x)).MoveToOuterDisposeScope(); // (B, T, C)
    }

    /// <summary>True when a step over <paramref name="cache"/> can take the direct path: float32 CPU weights and cache, no autograd.</summary>
    internal bool CanRunDirect(KvCache cache) =>
        cache.DirectDecode && embed_tokens.weight!.dtype == float32 && embed_tokens.weight.device_type == TorchSharp.DeviceType.CPU && !is_grad_enabled();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rope.Dispose();
        base.Dispose(disposing);
    }
}
