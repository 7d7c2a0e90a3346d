// Causal multi-head self-attention with rotary position embeddings, no biases (Llama). Runs over a whole
// sequence (causal, no cache), appends a chunk to a KvCache and attends over it with torch ops (the
// reference path), or hands the projections of a step's packed tokens to the cache's C# kernel (the packed
// path, DecodeAttention). Which one is the caller's AttentionInput. No grouped-query attention, no dropout.
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
    /// Attention output for x (B, T, C), or for the step's valid tokens packed as (N, 1, C) on the packed
    /// path; a cached step appends its keys and values to the cache first.
    /// </summary>
    internal Tensor Forward(Tensor x, int layer, AttentionInput input)
    {
        using var scope = NewDisposeScope();
        var y = input switch
        {
            AttentionInput.Packed p => p.Cache.AttendPacked(layer, p.Step, q_proj.forward(x), k_proj.forward(x), v_proj.forward(x), p.Rope), // (N, 1, C)
            AttentionInput.Cached c => Torch(x, c.Cos, c.Sin, (q, k, v) =>
            {
                var (keys, values) = c.Cache.Append(layer, c.Step, k, v); // (B, H, L, D) each
                return nn.functional.scaled_dot_product_attention(q, keys, values, attn_mask: c.Step.Mask); // (B, H, T, D)
            }),
            AttentionInput.Causal c => Torch(x, c.Cos, c.Sin, (q, k, v) => nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)), // (B, H, T, D)
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown attention input"),
        };
        return o_proj.forward(y).MoveToOuterDisposeScope(); // (B, T, C)
    }

    // The torch form: project, rotate queries and keys, attend (over the sequence itself or the cache), merge heads.
    private Tensor Torch(Tensor x, Tensor cos, Tensor sin, Func<Tensor, Tensor, Tensor, Tensor> attend) // x: (B, T, C)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var q = q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        var k = k_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        var v = v_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2); // (B, H, T, D)
        q = RotaryEmbedding.Apply(q, cos, sin); // (B, H, T, D)
        k = RotaryEmbedding.Apply(k, cos, sin); // (B, H, T, D)
        var y = attend(q, k, v); // (B, H, T, D)
        return y.transpose(1, 2).reshape(b, t, c); // (B, T, C)
    }
}
