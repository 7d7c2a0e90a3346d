// CountdownProblem: a target and the numbers to reach it with, plus one known solution if any.
namespace Apr.Countdown;

/// <summary>A Countdown problem. <see cref="Solution"/> is empty when none is known.</summary>
public sealed record CountdownProblem(string Id, long Target, IReadOnlyList<long> Nums, IReadOnlyList<Operation> Solution)
{
    public CountdownProblem(string id, long target, IReadOnlyList<long> nums)
        : this(id, target, nums, []) { }

    /// <summary>Sorted numbers and target: two problems with the same key are duplicates (reference section 2).</summary>
    public string Key => $"{Target}:{string.Join(',', Nums.Order())}";
}
