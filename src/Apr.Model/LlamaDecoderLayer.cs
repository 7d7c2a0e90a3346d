// One pre-norm transformer block: x + attn(norm(x)), then h + mlp(norm(h)).
using TorchSharp;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>Block with parameters input_layernorm, self_attn, post_attention_layernorm, mlp.</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    private readonly RmsNorm input_layernorm;
    private readonly LlamaAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly SwiGluMlp mlp;

    public LlamaDecoderLayer(ModelConfig config) : base(nameof(LlamaDecoderLayer))
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        self_attn = new LlamaAttention(config);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        mlp = new SwiGluMlp(config);
        RegisterComponents();
    }

    internal Tensor Forward(Tensor x, int layer, AttentionInput input) // x: (B, T, C), or (N, 1, C) packed
    {
        using var scope = NewDisposeScope();
        bool packed = input is AttentionInput.Packed; // the packed path runs its norms in C# too
        var h = x.add(self_attn.Forward(packed ? input_layernorm.ForwardPacked(x) : input_layernorm.forward(x), layer, input), Scalars.One); // (B, T, C)
        var normed = packed ? post_attention_layernorm.ForwardPacked(h) : post_attention_layernorm.forward(h); // (B, T, C)
        return h.add(mlp.forward(normed), Scalars.One).MoveToOuterDisposeScope(); // (B, T, C); not h + ...: Scalars
    }
}
