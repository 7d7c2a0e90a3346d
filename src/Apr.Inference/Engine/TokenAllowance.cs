// TokenAllowance: the tokens one problem may still spend, shared by all its calls. Every token a call
// holds that was not already counted (new prompt tokens, then each completion token, the closing EOS
// included) is taken from it before it enters the call; a token that would pass the limit is never
// taken and the call ends (CallEnd.TokenLimit). So a problem's total never exceeds its budget.
// It counts; it does not know calls, threads or why the limit was set.
namespace Apr.Inference;

public sealed class TokenAllowance(long limit)
{
    /// <summary>Most tokens the problem may hold in all.</summary>
    public long Limit { get; } = limit > 0 ? limit : throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be positive");

    /// <summary>Tokens taken so far.</summary>
    public long Used { get; private set; }

    /// <summary>Takes <paramref name="count"/> tokens if they fit; false (and nothing taken) otherwise.</summary>
    public bool TryTake(int count)
    {
        if (Used + count > Limit) return false;
        Used += count;
        return true;
    }

    /// <summary>An allowance without a practical limit (for calls run outside a problem).</summary>
    public static TokenAllowance Unlimited() => new(long.MaxValue);
}

/// <summary>
/// The limits of one call: <see cref="Context"/> tokens at most (prompt + completion, EOS included);
/// <see cref="Allowance"/>, the problem's shared token budget (null: none); <see cref="SharedPrefix"/>
/// prompt tokens already counted by the thread's previous call (not taken again).
/// </summary>
public sealed record CallLimits(int Context, TokenAllowance? Allowance = null, int SharedPrefix = 0);
