// SearchNode: a named state of the search: its id, its numbers, and the operations from the root.
namespace Apr.Countdown;

/// <summary>A state of the search as the trace names it. <see cref="Operations"/> run from the root (problem start).</summary>
public sealed record SearchNode(string Id, long[] Nums, Operation[] Operations)
{
    public static SearchNode Root(IReadOnlyList<long> nums) => new(NodeIds.Root, [.. nums], []);

    /// <summary>The operation that produced this node (the last one), if any.</summary>
    public Operation? LastOperation => Operations.Length == 0 ? null : Operations[^1];
}
