// PrimeFactors: the prime factorization of any positive 64-bit integer, fast at every size: trial
// division by small primes, a deterministic Miller-Rabin test (exact below 2^64 with the first 12 prime
// bases) and Pollard's rho (Brent's variant) for what remains. Products are taken in 128 bits, so nothing
// overflows; a prime near 2^63 takes microseconds instead of the 3e9 divisions of trial division.
// Used for the mult heuristic's factor list; it knows nothing of Countdown.
namespace Apr.Countdown;

public static class PrimeFactors
{
    private static readonly ulong[] Bases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

    /// <summary>The prime factors of <paramref name="n"/> (at least 1) with repetition, ascending.</summary>
    public static List<long> Of(long n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), $"factorization needs a positive number, got {n}");
        var factors = new List<long>();
        ulong m = (ulong)n;
        for (ulong p = 2; p < 1000 && p * p <= m; p++)
            while (m % p == 0) { factors.Add((long)p); m /= p; }
        if (m > 1) Split(m, factors);
        factors.Sort();
        return factors;
    }

    /// <summary>True when <paramref name="n"/> is prime (deterministic for every 64-bit value).</summary>
    public static bool IsPrime(ulong n)
    {
        if (n < 2) return false;
        foreach (var p in Bases)
        {
            if (n == p) return true;
            if (n % p == 0) return false;
        }
        ulong d = n - 1;
        int s = 0;
        while ((d & 1) == 0) { d >>= 1; s++; }
        foreach (var a in Bases)
        {
            ulong x = PowMod(a, d, n);
            if (x == 1 || x == n - 1) continue;
            bool composite = true;
            for (int r = 1; r < s && composite; r++)
            {
                x = MulMod(x, x, n);
                if (x == n - 1) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }

    private static void Split(ulong n, List<long> into)
    {
        if (n == 1) return;
        if (IsPrime(n)) { into.Add((long)n); return; }
        ulong d = Rho(n);
        Split(d, into);
        Split(n / d, into);
    }

    /// <summary>A non-trivial divisor of the composite odd <paramref name="n"/> (Brent's cycle finding, batched gcds).</summary>
    private static ulong Rho(ulong n)
    {
        for (ulong c = 1; ; c++)
        {
            ulong y = 2, x = 2, ys = 2, q = 1, g = 1;
            const int batch = 128;
            for (ulong r = 1; g == 1; r <<= 1)
            {
                x = y;
                for (ulong i = 0; i < r; i++) y = Step(y, c, n);
                for (ulong k = 0; k < r && g == 1; k += batch)
                {
                    ys = y;
                    for (ulong i = 0; i < Math.Min((ulong)batch, r - k); i++)
                    {
                        y = Step(y, c, n);
                        q = MulMod(q, x > y ? x - y : y - x, n);
                    }
                    g = Gcd(q, n);
                }
            }
            if (g == n)
            {
                // The batch overshot: walk it again one step at a time.
                do
                {
                    ys = Step(ys, c, n);
                    g = Gcd(x > ys ? x - ys : ys - x, n);
                } while (g == 1);
            }
            if (g != n) return g;
        }
    }

    private static ulong Step(ulong y, ulong c, ulong n) => (ulong)(((UInt128)y * y + c) % n);

    private static ulong MulMod(ulong a, ulong b, ulong n) => (ulong)((UInt128)a * b % n);

    private static ulong PowMod(ulong b, ulong e, ulong n)
    {
        ulong result = 1;
        b %= n;
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1) result = MulMod(result, b, n);
            b = MulMod(b, b, n);
        }
        return result;
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
