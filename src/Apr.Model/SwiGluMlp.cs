// The Llama feed-forward block: down(silu(gate(x)) * up(x)), no biases.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>SwiGLU MLP with parameters gate_proj, up_proj, down_proj.</summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public SwiGluMlp(ModelConfig config) : base(nameof(SwiGluMlp))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // x: (B, T, C)
    {
        using var gate = nn.functional.silu(gate_proj.forward(x)); // (B, T, F)
        using var up = up_proj.forward(x); // (B, T, F)
        using var hidden = gate * up; // (B, T, F)
        return down_proj.forward(hidden); // (B, T, C)
    }
}
