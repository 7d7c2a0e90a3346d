// Recap: the clean start-to-goal path that follows the first "Goal Reached" (reference section 3),
// written as the reference's get_path_to_target does.
//
//   Moving to Node #<start>
//   Current State: ...            (start node)
//   Exploring Operation: ...      (step to the next node)
//   Generated Node #<id>: ...     (only when the next node is not the goal)
//   Moving to Node #<id>
//   Current State: ...
//   ...
//   Exploring Operation: ...      (the last step)
//   T,T equal: Goal Reached
using System.Text;

namespace Apr.Countdown;

public static class Recap
{
    /// <summary>
    /// Appends the recap of <paramref name="path"/>: path[0] is the start node, each next node is one
    /// operation further, and the last one is the goal (a single number).
    /// </summary>
    public static StringBuilder Append(StringBuilder sb, long target, IReadOnlyList<SearchNode> path)
    {
        if (path.Count < 2) throw new ArgumentException($"a recap needs at least one step; the path has {path.Count} node(s)", nameof(path));
        var start = path[0];
        TraceFormat.MovingTo(sb, start.Id);
        TraceFormat.CurrentState(sb, target, start.Nums, start.Operations);
        for (var k = 1; k < path.Count; k++)
        {
            var node = path[k];
            var op = node.LastOperation ?? throw new ArgumentException($"path node {k} ('{node.Id}') has no operation", nameof(path));
            TraceFormat.Exploring(sb, op, node.Nums);
            if (k == path.Count - 1)
            {
                if (node.Nums.Length != 1) throw new ArgumentException($"the last node of a recap must hold one number, not [{string.Join(", ", node.Nums)}]", nameof(path));
                TraceFormat.Verdict(sb, node.Nums[0], target);
            }
            else
            {
                TraceFormat.GeneratedNode(sb, node.Id, target, node.Nums, op);
                TraceFormat.MovingTo(sb, node.Id);
                TraceFormat.CurrentState(sb, target, node.Nums, node.Operations);
            }
        }
        return sb;
    }

    public static string Write(long target, IReadOnlyList<SearchNode> path) => Append(new StringBuilder(), target, path).ToString();
}
