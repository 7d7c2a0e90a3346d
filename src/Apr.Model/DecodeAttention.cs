// Attention in C# over the head-major KV cache's memory for a packed list of new tokens, each with its own
// slot and position (one token per row in a decode step; every valid token of a ragged chunk otherwise,
// row after row). Write puts each token's rotated key and its value into its slot at its position; Attend
// then computes softmax(q k^T / sqrt(D)) v over that slot's keys up to and including the position, which
// is causal within a chunk because every key is written before any token attends. No gather, no mask, no
// padding to the longest row. float32 on the CPU only, no autograd (the caller checks both).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Apr.Model;

internal static unsafe class DecodeAttention
{
    /// <summary>
    /// Pointers and sizes of one layer's call; q, k, v, y are (N, H*D) token rows, the caches (S, H, Tmax, D);
    /// token n goes to slot Slots[n] at position Positions[n].
    /// </summary>
    public readonly record struct Call(nint Q, nint K, nint V, nint Y, nint CacheKeys, nint CacheValues,
                                       int[] Slots, int[] Positions, int Heads, int HeadDim, int MaxLength, float[] Cos, float[] Sin);

    /// <summary>Writes the rotated keys and the values of tokens [from, to) into the cache (before any Attend of the call).</summary>
    public static void Write(in Call c, int from, int to)
    {
        int d = c.HeadDim, half = d / 2, width = c.Heads * d;
        fixed (float* cosTable = c.Cos, sinTable = c.Sin)
        {
            for (int n = from; n < to; n++)
            {
                int slot = c.Slots[n], pos = c.Positions[n];
                float* cos = cosTable + (long)pos * half, sin = sinTable + (long)pos * half;
                for (int h = 0; h < c.Heads; h++)
                {
                    long row = (long)n * width + h * d;
                    long at = (((long)slot * c.Heads + h) * c.MaxLength + pos) * d; // (slot, h, pos, 0)
                    Rotate((float*)c.K + row, (float*)c.CacheKeys + at, cos, sin, half, 1f);
                    new ReadOnlySpan<float>((float*)c.V + row, d).CopyTo(new Span<float>((float*)c.CacheValues + at, d));
                }
            }
        }
    }

    /// <summary>Attention outputs of tokens [from, to) (independent once the call's keys are written: callers may split them across threads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first step: no tier-0 code
    public static void Attend(in Call c, int from, int to)
    {
        int d = c.HeadDim, half = d / 2, width = c.Heads * d;
        float scale = 1f / MathF.Sqrt(d);
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(c.MaxLength);
        float* query = stackalloc float[d];
        fixed (float* cosTable = c.Cos, sinTable = c.Sin, s = scores)
        {
            for (int n = from; n < to; n++)
            {
                int slot = c.Slots[n], pos = c.Positions[n], length = pos + 1;
                float* cos = cosTable + (long)pos * half, sin = sinTable + (long)pos * half;
                for (int h = 0; h < c.Heads; h++)
                {
                    long row = (long)n * width + h * d;
                    long head = ((long)slot * c.Heads + h) * c.MaxLength * d; // (slot, h, 0, 0)
                    float* keys = (float*)c.CacheKeys + head, values = (float*)c.CacheValues + head;
                    Rotate((float*)c.Q + row, query, cos, sin, half, scale);
                    Scores(query, keys, s, length, d);
                    float sum = ExpShifted(s, length, Max(s, length));
                    float* y = (float*)c.Y + row;
                    Mix(s, values, y, length, d);
                    Scale(y, 1f / sum, d);
                }
            }
        }
        System.Buffers.ArrayPool<float>.Shared.Return(scores);
    }

    // (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin) over the two halves, times scale; the same formula as
    // RotaryEmbedding.Apply, whose tables repeat the D/2 angles in both halves.
    private static void Rotate(float* x, float* output, float* cos, float* sin, int half, float scale)
    {
        for (int i = 0; i < half; i++)
        {
            float x1 = x[i], x2 = x[i + half];
            output[i] = (x1 * cos[i] - x2 * sin[i]) * scale;
            output[i + half] = (x2 * cos[i] + x1 * sin[i]) * scale;
        }
    }

    // s[j] = q . keys[j] for j < n (keys: n rows of d floats). Four keys at a time share one horizontal reduction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scores(float* q, float* keys, float* s, int n, int d)
    {
        int j = 0;
        if (Avx.IsSupported && d % 8 == 0)
        {
            for (; j <= n - 4; j += 4)
            {
                float* k0 = keys + (long)j * d;
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int i = 0; i < d; i += 8)
                {
                    var qi = Vector256.Load(q + i);
                    a0 = Vector256.FusedMultiplyAdd(qi, Vector256.Load(k0 + i), a0);
                    a1 = Vector256.FusedMultiplyAdd(qi, Vector256.Load(k0 + d + i), a1);
                    a2 = Vector256.FusedMultiplyAdd(qi, Vector256.Load(k0 + 2 * d + i), a2);
                    a3 = Vector256.FusedMultiplyAdd(qi, Vector256.Load(k0 + 3 * d + i), a3);
                }
                var h = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3)); // lanes: per key, two halves
                (h.GetLower() + h.GetUpper()).Store(s + j); // s[j..j+3]
            }
        }
        for (; j < n; j++)
        {
            float sum = 0;
            for (int i = 0; i < d; i++) sum += q[i] * keys[(long)j * d + i];
            s[j] = sum;
        }
    }

    // y = sum_j p[j] * values[j] (values: n rows of d floats), accumulated in registers 32 floats at a time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(float* p, float* values, float* y, int n, int d)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= d - 32; i += 32)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int j = 0; j < n; j++)
                {
                    float* v = values + (long)j * d + i;
                    var pj = Vector256.Create(p[j]);
                    a0 = Vector256.FusedMultiplyAdd(pj, Vector256.Load(v), a0);
                    a1 = Vector256.FusedMultiplyAdd(pj, Vector256.Load(v + 8), a1);
                    a2 = Vector256.FusedMultiplyAdd(pj, Vector256.Load(v + 16), a2);
                    a3 = Vector256.FusedMultiplyAdd(pj, Vector256.Load(v + 24), a3);
                }
                a0.Store(y + i);
                a1.Store(y + i + 8);
                a2.Store(y + i + 16);
                a3.Store(y + i + 24);
            }
        }
        for (; i < d; i++)
        {
            float sum = 0;
            for (int j = 0; j < n; j++) sum += p[j] * values[(long)j * d + i];
            y[i] = sum;
        }
    }

    private static void Scale(float* y, float a, int n)
    {
        for (int i = 0; i < n; i++) y[i] *= a;
    }

    private static float Max(float* s, int n)
    {
        int i = 0;
        float m = float.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var vm = Vector256.Load(s);
            for (i = 8; i <= n - 8; i += 8) vm = Vector256.Max(vm, Vector256.Load(s + i));
            var h = Vector128.Max(vm.GetLower(), vm.GetUpper());
            m = Math.Max(Math.Max(h[0], h[1]), Math.Max(h[2], h[3]));
        }
        for (; i < n; i++) m = Math.Max(m, s[i]);
        return m;
    }

    // s[i] = exp(s[i] - max) in place; returns the sum.
    private static float ExpShifted(float* s, int n, float max)
    {
        int i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vm = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var e = Exp(Vector256.Load(s + i) - vm);
                e.Store(s + i);
                acc += e;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            s[i] = MathF.Exp(s[i] - max);
            sum += s[i];
        }
        return sum;
    }

    // exp(x) for x <= 0 (softmax after subtracting the max): x = k ln2 + r with |r| <= ln2/2, exp(r) by a
    // degree-6 polynomial (Cephes expf coefficients), 2^k through the exponent bits; relative error below
    // 1e-7 on [-87, 0] and 0 below. (.NET's Vector256.Exp measured 12 ns per element here: a scalar loop.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Max(x, Vector256.Create(-87.3f));
        var k = Vector256.Round(x * Vector256.Create(1.44269504088896341f));
        var r = x - k * Vector256.Create(0.693359375f) - k * Vector256.Create(-2.12194440e-4f);
        var p = Vector256.Create(1.9875691500e-4f);
        p = p * r + Vector256.Create(1.3981999507e-3f);
        p = p * r + Vector256.Create(8.3334519073e-3f);
        p = p * r + Vector256.Create(4.1665795894e-2f);
        p = p * r + Vector256.Create(1.6666665459e-1f);
        p = p * r + Vector256.Create(5.0000001201e-1f);
        p = p * r * r + r + Vector256<float>.One;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(k) + Vector256.Create(127), 23).AsSingle(); // 2^k
        return p * scale;
    }
}
