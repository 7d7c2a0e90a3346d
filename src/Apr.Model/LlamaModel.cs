// The decoder stack without the LM head: embed_tokens, layers, final norm (HF's LlamaModel). Runs whole
// sequences (causal, no cache) or a cached step on the AttentionPath its caller names.
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

    /// <summary>Hidden states (B, T, C) for whole sequences ids (B, T), causal, no cache.</summary>
    internal Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        long t = ids.shape[1];
        if (t > _rope.MaxPositions)
            throw new ArgumentException($"sequence length {t} exceeds max_position_embeddings {_rope.MaxPositions}");
        var (cos, sin) = _rope.Prefix(t); // (1, 1, T, D)
        return Layers(ids, new AttentionInput.Causal(cos, sin)).MoveToOuterDisposeScope(); // (B, T, C)
    }

    /// <summary>
    /// Hidden states of a cached step whose positions continue each slot's length: on the reference path for
    /// the padded chunk ids (B, T) -> (B, T, C); on the packed path for the step's valid tokens (N, 1) -> (N, 1, C)
    /// (the caller checked <see cref="PackedUnavailable"/> and autograd).
    /// </summary>
    internal Tensor Forward(Tensor ids, KvCache cache, CacheStep step, AttentionPath path)
    {
        using var scope = NewDisposeScope();
        AttentionInput input;
        if (path == AttentionPath.Packed)
            input = new AttentionInput.Packed(_rope, cache, step);
        else
        {
            var (cos, sin) = _rope.At(step.Positions); // (B, 1, T, D)
            input = new AttentionInput.Cached(cos, sin, cache, step);
        }
        return Layers(ids, input).MoveToOuterDisposeScope(); // (B, T, C), or (N, 1, C) packed
    }

    /// <summary>Why steps over <paramref name="cache"/> cannot take the packed path (null when they can): it needs float32 weights and cache on the CPU.</summary>
    internal string? PackedUnavailable(KvCache cache)
    {
        var w = embed_tokens.weight!;
        if (w.dtype != float32 || w.device_type != TorchSharp.DeviceType.CPU) return $"the weights are {w.dtype} on {w.device}, not float32 on the CPU";
        return cache.HasCpuFloatMemory ? null : "the cache is not float32 on the CPU (or is disposed)";
    }

    // Embedding, every layer, final norm (in C# on the packed path, as the layers' norms).
    private Tensor Layers(Tensor ids, AttentionInput input)
    {
        var x = embed_tokens.forward(ids); // (B, T, C), or (N, 1, C) packed
        for (int i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, i, input); // (B, T, C)
        return input is AttentionInput.Packed ? norm.ForwardPacked(x) : norm.forward(x); // (B, T, C)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rope.Dispose();
        base.Dispose(disposing);
    }
}
