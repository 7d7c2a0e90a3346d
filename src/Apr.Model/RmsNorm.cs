// Root-mean-square layer norm with a learned scale (Llama). Computes in float32 whatever the input dtype.
// No bias, no mean subtraction. Steps on the packed attention path use a C# loop over the same formula (ForwardPacked).
using System.Runtime.Intrinsics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>y = x / sqrt(mean(x^2) + eps) * weight over the last dimension.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;
    private readonly Scalar _epsScalar; // held by the module: a temporary Scalar may be finalized mid-call (Scalars)

    public RmsNorm(int size, double eps) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size));
        _eps = eps;
        _epsScalar = eps.ToScalar();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // x: (..., C)
    {
        using var scope = NewDisposeScope();
        var x32 = x.dtype == float32 ? x : x.to(float32);
        var scale = x32.mul(x32).mean([-1L], keepdim: true).add_(_epsScalar, Scalars.One).rsqrt_(); // (..., 1)
        var y = x32 * scale; // (..., C)
        if (x.dtype != float32)
            return (y.to(x.dtype) * weight.to(x.dtype)).MoveToOuterDisposeScope(); // (..., C)
        return (y * weight).MoveToOuterDisposeScope(); // (..., C)
    }

    /// <summary>
    /// The same for a float32 CPU x without autograd (the packed path, see DecodeAttention), computed in C#:
    /// one output tensor instead of six torch ops. Other inputs go through <see cref="forward"/>.
    /// </summary>
    internal unsafe Tensor ForwardPacked(Tensor x) // x: (..., C)
    {
        if (x.dtype != float32 || weight.dtype != float32 || x.device_type != TorchSharp.DeviceType.CPU || x.requires_grad)
            return forward(x);
        int c = (int)x.shape[^1];
        using var input = x.contiguous();
        var y = empty_like(input); // (..., C)
        long rows = input.numel() / c;
        fixed (byte* px = input.bytes, pw = weight.bytes, py = y.bytes)
        {
            float* w = (float*)pw;
            for (long r = 0; r < rows; r++)
            {
                float* xr = (float*)px + r * c, yr = (float*)py + r * c;
                int i = 0;
                var acc = Vector256<float>.Zero;
                for (; i <= c - 8; i += 8)
                {
                    var xi = Vector256.Load(xr + i);
                    acc = Vector256.FusedMultiplyAdd(xi, xi, acc);
                }
                float sum = Vector256.Sum(acc);
                for (; i < c; i++) sum += xr[i] * xr[i];
                float scale = 1f / MathF.Sqrt(sum / c + (float)_eps);
                var vs = Vector256.Create(scale);
                for (i = 0; i <= c - 8; i += 8) (Vector256.Load(xr + i) * vs * Vector256.Load(w + i)).Store(yr + i);
                for (; i < c; i++) yr[i] = xr[i] * scale * w[i];
            }
        }
        return y;
    }
}
