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

    internal Tensor Forward(Tensor x, Tensor? cos, Tensor? sin, RotaryEmbedding rope, int layer, KvCache? cache, CacheStep? step) // x: (B, T, C)
    {
        using var scope = NewDisposeScope();
        bool direct = cos is null; // a direct decode step (see LlamaModel.Forward): norms in C# too
        var h = x + self_attn.Forward(direct ? input_layernorm.ForwardDirect(x) : input_layernorm.forward(x), cos, sin, rope, layer, cache, step); // (B, T, C)
        var normed = direct ? post_attention_layernorm.ForwardDirect(h) : post_attention_layernorm.forward(h); // (B, T, C)
        return (h + mlp.forward(normed)).MoveToOuterDisposeScope(); // (B, T, C)
    }
}
