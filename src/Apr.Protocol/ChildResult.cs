// ChildResult: what a finished child returns to its parent: success with its recap, or failure.
namespace Apr.Protocol;

/// <summary>
/// The result of child <see cref="Index"/> (its position in the spawn block) that started at
/// <see cref="NodeId"/>. <see cref="Recap"/> holds the child's recap lines (from its
/// "Moving to Node #start" line to its final "Goal Reached" line, newline included) when it solved the
/// problem, and is empty otherwise.
/// </summary>
public sealed record ChildResult(int Index, string NodeId, bool Solved, string Recap)
{
    public static ChildResult Failed(int index, string nodeId) => new(index, nodeId, false, "");
}
