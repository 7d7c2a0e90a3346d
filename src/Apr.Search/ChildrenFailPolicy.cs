// ChildrenFailPolicy: what an APR parent does after a join in which every child failed.
namespace Apr.Search;

public enum ChildrenFailPolicy
{
    /// <summary>
    /// The paper: the parent goes on with its own search. It first re-expands the spawning node with
    /// its next `beam` best unexplored successors (more Exploring / Generated Node lines right after the
    /// join block, node indices continuing) and may spawn on them again; when that node has no
    /// successors left, or it does not spawn, it moves on as the reference does.
    /// </summary>
    Continue,

    /// <summary>
    /// The reference code: the spawned nodes are spent and the loop continues exactly as the reference's
    /// (which ends the problem when the open set is empty), including its Moving-to line quirk after a
    /// join (see AprRun).
    /// </summary>
    End,
}
