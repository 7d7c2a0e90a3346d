// Rng: a small, fast, fully specified random generator (xoshiro256**, seeded by SplitMix64).
//
// Why not System.Random: its seeded algorithm is an implementation detail of the runtime, and apr
// promises that the same seed gives byte-identical data on any machine and any .NET version.
// Per-item streams are derived by explicit arithmetic, Rng.ForItem(seed, index), never from
// GetHashCode, so results do not depend on the number of worker threads or on item order.
namespace Apr.Core;

/// <summary>Deterministic pseudo-random generator (xoshiro256**). A mutable struct: pass by ref.</summary>
public struct Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the four state words from <paramref name="seed"/> with SplitMix64.</summary>
    public Rng(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    /// <summary>The stream for item <paramref name="index"/> of a run seeded with <paramref name="seed"/>.</summary>
    public static Rng ForItem(ulong seed, ulong index) => new(Mix(seed, index));

    /// <summary>Mixes two words into one seed (SplitMix64 finalizer over a golden-ratio combination).</summary>
    public static ulong Mix(ulong seed, ulong index)
    {
        var x = seed ^ (index * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
        return SplitMix64(ref x);
    }

    public static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>], both inclusive (Lemire's method, unbiased).</summary>
    public int NextInt(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"max {max} is below min {min}");
        var range = (ulong)((long)max - min) + 1;
        return (int)(min + (long)NextBelow(range));
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>).</summary>
    public ulong NextBelow(ulong bound)
    {
        if (bound == 0) throw new ArgumentOutOfRangeException(nameof(bound), "bound must be positive");
        var x = NextUInt64();
        var m = Math.BigMul(x, bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                x = NextUInt64();
                m = Math.BigMul(x, bound, out low);
            }
        }
        return m;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fisher-Yates shuffle, in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = (int)NextBelow((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
