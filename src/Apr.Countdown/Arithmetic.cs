// Arithmetic: the rules of Countdown (reference section 2), in the reference generator's order.
//
// For a pair (a, b) taken in list order: a+b; a*b; larger minus smaller; larger divided by smaller
// when it divides exactly and the divisor is not 0. Subtraction and division are written
// larger-first. Departure: a result that would overflow 64 bits is not a legal move (the reference
// uses unbounded Python integers; with the paper's distribution no result comes near the limit).
namespace Apr.Countdown;

public static class Arithmetic
{
    /// <summary>The most successors one pair can have.</summary>
    public const int MaxPerPair = 4;

    /// <summary>Writes the legal operations on (a, b) into <paramref name="into"/>; returns how many.</summary>
    public static int Combine(long a, long b, Span<Operation> into)
    {
        var n = 0;
        if (TryAdd(a, b, out var sum)) into[n++] = new Operation(a, '+', b, sum);
        if (TryMultiply(a, b, out var product)) into[n++] = new Operation(a, '*', b, product);
        var (hi, lo) = a <= b ? (b, a) : (a, b);
        into[n++] = new Operation(hi, '-', lo, hi - lo);
        if (lo != 0 && hi % lo == 0) into[n++] = new Operation(hi, '/', lo, hi / lo);
        return n;
    }

    /// <summary>Applies one operation if the rules allow it in this written order.</summary>
    public static bool TryApply(long left, char symbol, long right, out long result)
    {
        result = 0;
        if (left < 0 || right < 0) return false;
        switch (symbol)
        {
            case '+': return TryAdd(left, right, out result);
            case '*': return TryMultiply(left, right, out result);
            case '-':
                if (left < right) return false;
                result = left - right;
                return true;
            case '/':
                if (left < right || right == 0 || left % right != 0) return false;
                result = left / right;
                return true;
            default: return false;
        }
    }

    private static bool TryAdd(long a, long b, out long r)
    {
        r = a + b;
        return r >= a;
    }

    private static bool TryMultiply(long a, long b, out long r)
    {
        r = 0;
        if (a != 0 && b > long.MaxValue / a) return false;
        r = a * b;
        return true;
    }
}
