// Operation: one arithmetic step of Countdown, written larger-first as in the paper ("53-22=31").
namespace Apr.Countdown;

/// <summary>One step: <c>Left Symbol Right = Result</c>, e.g. <c>53-22=31</c>.</summary>
public readonly record struct Operation(long Left, char Symbol, long Right, long Result)
{
    public override string ToString() => $"{Left}{Symbol}{Right}={Result}";

    /// <summary>
    /// Parses <c>a?b=c</c> with ? one of + - * /. Checks only the syntax and that the numbers fit
    /// in 64 bits; whether the arithmetic is right is <see cref="IsCorrect"/>'s job.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Operation operation, out string error)
    {
        operation = default;
        var eq = text.IndexOf('=');
        if (eq < 0) { error = $"operation '{text}' has no '='"; return false; }
        var lhs = text[..eq];
        var symbolAt = lhs.IndexOfAny("+-*/");
        if (symbolAt <= 0) { error = $"operation '{text}' has no operator between two numbers"; return false; }
        if (!TryParseNumber(lhs[..symbolAt], out var left, out error)
            || !TryParseNumber(lhs[(symbolAt + 1)..], out var right, out error)
            || !TryParseNumber(text[(eq + 1)..], out var result, out error))
        {
            error = $"operation '{text}': {error}";
            return false;
        }
        operation = new Operation(left, lhs[symbolAt], right, result);
        error = "";
        return true;
    }

    public static Operation Parse(string text) =>
        TryParse(text, out var op, out var error) ? op : throw new FormatException(error);

    /// <summary>A non-negative decimal integer without sign or leading zeros, fitting in a long.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> text, out long value, out string error)
    {
        value = 0;
        if (text.IsEmpty) { error = "empty number"; return false; }
        if (text.Length > 1 && text[0] == '0') { error = $"number '{text}' has a leading zero"; return false; }
        foreach (var c in text)
        {
            if (c is < '0' or > '9') { error = $"'{text}' is not a number"; return false; }
            if (value > (long.MaxValue - (c - '0')) / 10) { error = $"number '{text}' overflows 64 bits"; return false; }
            value = value * 10 + (c - '0');
        }
        error = "";
        return true;
    }

    /// <summary>True when this is a legal move by the rules (<see cref="Arithmetic"/>) and its result is exact.</summary>
    public bool IsCorrect => Arithmetic.TryApply(Left, Symbol, Right, out var r) && r == Result;
}
