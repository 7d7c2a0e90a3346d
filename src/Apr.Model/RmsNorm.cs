// Root-mean-square layer norm with a learned scale (Llama). Computes in float32 whatever the input dtype.
// No bias, no mean subtraction.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>y = x / sqrt(mean(x^2) + eps) * weight over the last dimension.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(int size, double eps) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // x: (..., C)
    {
        using var scope = NewDisposeScope();
        var x32 = x.dtype == float32 ? x : x.to(float32);
        var scale = x32.square().mean([-1L], keepdim: true).add_(_eps).rsqrt_(); // (..., 1)
        var y = x32 * scale; // (..., C)
        if (x.dtype != float32)
            return (y.to(x.dtype) * weight.to(x.dtype)).MoveToOuterDisposeScope(); // (..., C)
        return (y * weight).MoveToOuterDisposeScope(); // (..., C)
    }
}
