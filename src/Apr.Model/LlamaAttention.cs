// Causal multi-head self-attention with rotary position embeddings, no biases (Llama). Runs either over a
// whole sequence (causal, no cache), appending a chunk to a KvCache, or (cached steps without autograd, see
// DecodeAttention) handing the projections of the step's packed tokens to the cache's C# kernel. No grouped-query attention, no dropout.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>Self-attention with parameters q_proj, k_proj, v_proj, o_proj.</summary>
public sealed class LlamaAttention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int _heads;
    private readonly int _headDim;

    public LlamaAttention(ModelConfig config) : base(nameof(LlamaAttention))
    {
        int c = config.HiddenSize;
        q_proj = nn.Linear(c, c, hasBias: false);
        k_proj = nn.Linear(c, c, hasBias: false);
        v_proj = nn.Linear(c, c, hasBias: false);
        o_proj = nn.Linear(c, c, hasBias: false);
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        RegisterComponents();
    }

    /// <summary>
    /// Attention output for x (B, T, C); with a cache, the step's keys/values are appended first. Null
    /// cos/sin ask for the direct path: x is (N, 1, C), the step's valid tokens packed, and attention runs
    /// in C# over the cache memory.
    /// </summary>
    internal Tensor Forward(Tensor x, Tensor? cos, Tensor? sin, RotaryEmbedding rope, int layer, KvCache? cache, CacheStep? step)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        if (cos is null || sin is null)
        {
            if (cache is null || step is null) throw new ArgumentException("the direct decode path needs a cache step");
            var direct = cache.AttendDirect(layer, step, q_proj.forward(x), k_proj.forward(x), v_proj.forward(x), rope); // (N, 1, C)
            return o_proj.forward(direct).MoveToOuterDisposeScope(); // (N, 1, C)
        }
        var q = q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        var k = k_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        var v = v_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        q = RotaryEmbedding.Apply(q, cos, sin); // (B, H, T, D)
        k = RotaryEmbedding.Apply(k, cos, sin); // (B, H, T, D)
        Tensor y;
        if (cache is null || step is null)
        {
            y = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true); // (B, H, T, D)
        }
        else
        {
            var (keys, values) = cache.Append(layer, step, k, v); // (B, H, L, D) each
            y = nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: step.Mask); // (B, H, T, D)
        }
        var merged = y.transpose(1, 2).reshape(b, t, c); // (B, T, C)
        return o_proj.forward(merged).MoveToOuterDisposeScope(); // (B, T, C)
    }
}
