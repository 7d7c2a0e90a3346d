// ChildrenFailPolicy: what an APR parent does after a join in which every child failed.
namespace Apr.Search;

public enum ChildrenFailPolicy
{
    /// <summary>
    /// The paper: the parent goes on with its own search. Right after the join block it re-expands the
    /// spawning node with its next `beam` best unexplored successors (more Exploring / Generated Node
    /// lines, node indices continuing after the last one used), and may spawn on them again (same rule
    /// and probability); a batch it does not spawn on goes to the open set. It keeps taking batches of
    /// that node until a child succeeds or the node has no successors left, then moves on as the
    /// reference does (a Moving to line to the next popped node or the top of the open set).
    /// </summary>
    Continue,

    /// <summary>
    /// The reference code: the spawned nodes are spent and the loop continues as the reference's does
    /// (which ends the problem when the open set is empty, as it always is after the root spawned), but
    /// with a correct "Moving to Node" line where the reference's is missing or wrong (see AprRun).
    /// </summary>
    End,
}
