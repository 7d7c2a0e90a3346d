// Verifier: the strict check of a solution path (reference section 2 and section 10).
//
// Replays the operations on the multiset of numbers: each step must use two numbers that are
// present (each use removes one copy), compute exactly by the rules, and the final multiset must be
// exactly [target]. Unlike the reference's SoS+ check, used numbers are removed.
namespace Apr.Countdown;

/// <summary>Outcome of a verification: <see cref="Ok"/>, or the first problem found.</summary>
public sealed record Verification(bool Ok, string Error)
{
    public static readonly Verification Success = new(true, "");
    public static Verification Fail(string error) => new(false, error);
}

public static class Verifier
{
    /// <summary>Checks that <paramref name="operations"/> turn <paramref name="nums"/> into exactly [<paramref name="target"/>].</summary>
    public static Verification Verify(long target, IReadOnlyList<long> nums, IReadOnlyList<Operation> operations)
    {
        ArgumentNullException.ThrowIfNull(nums);
        ArgumentNullException.ThrowIfNull(operations);
        var pool = new List<long>(nums);
        for (var s = 0; s < operations.Count; s++)
        {
            var op = operations[s];
            if (!Arithmetic.TryApply(op.Left, op.Symbol, op.Right, out var value))
                return Verification.Fail($"step {s + 1} '{op}' is not a legal operation");
            if (value != op.Result)
                return Verification.Fail($"step {s + 1} '{op}' is wrong: {op.Left}{op.Symbol}{op.Right} is {value}");
            if (!pool.Remove(op.Left))
                return Verification.Fail($"step {s + 1} '{op}' uses {op.Left}, which is not in [{string.Join(", ", pool)}]");
            if (!pool.Remove(op.Right))
                return Verification.Fail($"step {s + 1} '{op}' uses {op.Right}, which is not in [{string.Join(", ", pool)}]");
            pool.Add(value);
        }
        if (pool.Count != 1 || pool[0] != target)
            return Verification.Fail($"the numbers end as [{string.Join(", ", pool)}], not [{target}]");
        return Verification.Success;
    }

    /// <summary>Parses operation strings such as "53-22=31" and verifies them.</summary>
    public static Verification Verify(long target, IReadOnlyList<long> nums, IEnumerable<string> operations)
    {
        var ops = new List<Operation>();
        foreach (var text in operations)
        {
            if (!Operation.TryParse(text, out var op, out var error)) return Verification.Fail(error);
            ops.Add(op);
        }
        return Verify(target, nums, ops);
    }
}
