// Rotary position embeddings (RoPE) in the Hugging Face Llama layout: the head dimension is split in two
// halves, (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin). Holds the cos/sin tables; not a Module, so the
// tables never appear among the checkpoint's parameters.
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>Cos/sin tables for positions 0..max-1 and the rotation applied to queries and keys.</summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _cos; // (P, D)
    private readonly Tensor _sin; // (P, D)

    public RotaryEmbedding(int headDim, int maxPositions, double theta)
    {
        using var scope = NewDisposeScope();
        var inv = pow(theta, arange(0, headDim, 2, dtype: float64) / headDim).reciprocal(); // (D/2,)
        var angles = outer(arange(maxPositions, dtype: float64), inv); // (P, D/2)
        var both = cat([angles, angles], dim: 1); // (P, D)
        _cos = both.cos().to(float32).DetachFromDisposeScope();
        _sin = both.sin().to(float32).DetachFromDisposeScope();
        MaxPositions = maxPositions;
        using var halfCos = _cos.narrow(1, 0, headDim / 2).contiguous(); // (P, D/2): both halves repeat the angles
        using var halfSin = _sin.narrow(1, 0, headDim / 2).contiguous(); // (P, D/2)
        HalfCos = halfCos.data<float>().ToArray();
        HalfSin = halfSin.data<float>().ToArray();
    }

    public int MaxPositions { get; }

    /// <summary>cos of position p and frequency i at [p * D/2 + i], the same float32 values as the tables (DecodeAttention).</summary>
    internal float[] HalfCos { get; }

    internal float[] HalfSin { get; }

    /// <summary>Tables for positions 0..T-1, broadcastable over (B, H, T, D).</summary>
    public (Tensor Cos, Tensor Sin) Prefix(long length) =>
        (_cos.narrow(0, 0, length).view(1, 1, length, -1), _sin.narrow(0, 0, length).view(1, 1, length, -1)); // (1, 1, T, D)

    /// <summary>Tables for the given positions (B, T), shaped (B, 1, T, D).</summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions)
    {
        long b = positions.shape[0], t = positions.shape[1];
        using var flat = positions.reshape(-1); // (B*T,)
        return (_cos.index_select(0, flat).view(b, 1, t, -1), _sin.index_select(0, flat).view(b, 1, t, -1)); // (B, 1, T, D)
    }

    /// <summary>Rotates x (B, H, T, D) by the tables (broadcastable to it).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half); // (B, H, T, D/2)
        var x2 = x.narrow(-1, half, half); // (B, H, T, D/2)
        var rotated = cat([x2.neg(), x1], dim: -1); // (B, H, T, D)
        var c = cos.dtype == x.dtype ? cos : cos.to(x.dtype);
        var s = sin.dtype == x.dtype ? sin : sin.to(x.dtype);
        return (x * c).add_(rotated * s, Scalars.One).MoveToOuterDisposeScope(); // (B, H, T, D)
    }

    public void Dispose()
    {
        _cos.Dispose();
        _sin.Dispose();
    }
}
