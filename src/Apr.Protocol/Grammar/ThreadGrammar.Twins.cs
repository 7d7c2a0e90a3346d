// ThreadGrammar, part 4: twin nodes and implicit moves.
//
// Twins are nodes of one (sub)search with the same state (same numbers, same operations from the root;
// they arise when numbers repeat). After a failed join the thread may write a bare "Current State"
// line (see ThreadGrammar.cs, point 3); when that state belongs to several open twins, which twin was
// entered is unknown until an id is written. The grammar enters the first one, marks it Unrevealed,
// and lets later text decide: the first "Generated Node #id" line may use any open twin's id, and a
// move/dive/spawn naming the entered twin is read as naming the other (the two are swapped; nothing
// written so far can tell them apart). So every reading the reference solver can produce is accepted.
namespace Apr.Protocol;

public sealed partial class ThreadGrammar
{
    /// <summary>Open twins of <paramref name="node"/> (empty unless it is Unrevealed).</summary>
    private List<GrammarNode> OpenTwins(GrammarNode node) =>
        node.Unrevealed ? Scope.Generated.FindAll(n => n.Status == NodeStatus.Open && n.IsTwinOf(node)) : [];

    /// <summary>True for a node that may be named as a move/dive/spawn target: open, or an entered twin with an open twin.</summary>
    private bool IsNameable(GrammarNode node) =>
        node.Status == NodeStatus.Open || (node.Status == NodeStatus.Explored && node.Unrevealed && OpenTwins(node).Count > 0);

    /// <summary>Before naming an entered, unrevealed twin: hand its role to an open twin so it becomes open itself.</summary>
    private void FreeTwin(GrammarNode node)
    {
        if (node.Status != NodeStatus.Explored || !node.Unrevealed) return;
        var twins = OpenTwins(node);
        if (twins.Count == 0) return;
        var other = twins[0];
        other.Status = NodeStatus.Explored;
        other.Unrevealed = true;
        node.Status = NodeStatus.Open;
        node.Unrevealed = false;
        if (ReferenceEquals(Scope.Current, node)) Scope.ReplaceCurrent(other);
    }

    /// <summary>The Generated Node lines the entered twin's first child may be written with, other than the default.</summary>
    private IEnumerable<string> TwinGeneratedLines()
    {
        var child = Scope.Generated[^1];
        foreach (var twin in OpenTwins(Scope.Current))
            yield return Text(sb => Apr.Countdown.TraceFormat.GeneratedNode(sb, Apr.Countdown.NodeIds.Child(twin.Id, 0), _target, child.Nums, child.LastOp));
    }

    /// <summary>The pending Generated line was written with an open twin's id: that twin is the one entered.</summary>
    private bool TryRevealTwin(string line)
    {
        if (!_revealPending) return false;
        var current = Scope.Current;
        var child = Scope.Generated[^1];
        foreach (var twin in OpenTwins(current))
        {
            var id = Apr.Countdown.NodeIds.Child(twin.Id, 0);
            if (Text(sb => Apr.Countdown.TraceFormat.GeneratedNode(sb, id, _target, child.Nums, child.LastOp)) != line) continue;
            Scope.Generated.RemoveAt(Scope.Generated.Count - 1);
            _nodes.Remove(child.Id);
            var moved = new GrammarNode(id, child.Nums, child.Ops, twin, child.Scope);
            _nodes.Add(id, moved);
            Scope.Generated.Add(moved);
            twin.NextChild = current.NextChild;
            current.NextChild = 0;
            current.Status = NodeStatus.Open;
            current.Unrevealed = false;
            twin.Status = NodeStatus.Explored;
            Scope.ReplaceCurrent(twin);
            return true;
        }
        return false;
    }
}
