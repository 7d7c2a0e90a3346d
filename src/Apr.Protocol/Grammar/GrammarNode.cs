// GrammarNode: the grammar's record of one named search node (internal bookkeeping only).
using Apr.Countdown;

namespace Apr.Protocol;

internal enum NodeStatus { Open, Explored, Dived, Spawned }

internal sealed class GrammarNode(string id, long[] nums, Operation[] ops, GrammarNode? parent, int scope)
{
    public string Id { get; } = id;
    public long[] Nums { get; } = nums;
    public Operation[] Ops { get; } = ops;
    /// <summary>The node it was generated from; null for the thread's start node.</summary>
    public GrammarNode? Parent { get; } = parent;
    /// <summary>Serial number of the (sub)search scope that generated it.</summary>
    public int Scope { get; } = scope;
    public NodeStatus Status { get; set; }
    /// <summary>Index k of the next kept non-terminal successor, named "Id,k".</summary>
    public int NextChild { get; set; }

    /// <summary>
    /// Entered by an implicit move (a bare Current State line after a join) and no id written since: it is
    /// still interchangeable with an open twin (a node with the same state), see ThreadGrammar.Twins.cs.
    /// </summary>
    public bool Unrevealed { get; set; }

    public bool IsTwinOf(GrammarNode other) =>
        !ReferenceEquals(this, other) && Scope == other.Scope && Nums.AsSpan().SequenceEqual(other.Nums) && Ops.AsSpan().SequenceEqual(other.Ops);

    public Apr.Countdown.Operation LastOp => Ops[^1];

    public SearchNode ToSearchNode() => new(Id, Nums, Ops);
}
