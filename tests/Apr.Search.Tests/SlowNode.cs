// SlowNode: a search node of the slow reference solvers: an immutable SearchNode, its heuristic key,
// and its parent (for recaps).
using Apr.Countdown;

namespace Apr.Search.Tests;

internal sealed record SlowNode(SearchNode S, long Key, SlowNode? Parent)
{
    public string Id => S.Id;

    /// <summary>The nodes from <paramref name="start"/> down to this one.</summary>
    public List<SearchNode> PathFrom(SlowNode start)
    {
        var path = new List<SearchNode>();
        for (var n = this; ; n = n.Parent ?? throw new InvalidOperationException($"{Id} is not below {start.Id}"))
        {
            path.Add(n.S);
            if (ReferenceEquals(n, start)) break;
        }
        path.Reverse();
        return path;
    }

    /// <summary>All successors in the reference order with their keys, stable-sorted by key.</summary>
    public List<(Successor S, long Key)> SortedSuccessors(long target, HeuristicKind kind) =>
        Successor.All(S.Nums).Select(s => (s, Heuristics.Key(kind, s.Numbers, target))).OrderBy(x => x.Item2).ToList();

    public SlowNode Child(string id, Successor s, long key) => new(new SearchNode(id, s.Numbers, [.. S.Operations, s.Operation]), key, this);
}

/// <summary>The open set of the slow solvers: a list searched for the minimum (key, insertion number).</summary>
internal sealed class SlowOpenSet
{
    private readonly List<(long Key, long Seq, SlowNode Node)> _items = [];
    private long _seq;

    public int Count => _items.Count;

    public void Push(SlowNode n) => _items.Add((n.Key, _seq++, n));

    public SlowNode Peek() => _items.MinBy(x => (x.Key, x.Seq)).Node;

    public SlowNode Pop()
    {
        var best = _items.MinBy(x => (x.Key, x.Seq));
        _items.Remove(best);
        return best.Node;
    }
}
