// NodeArena: every search node of one problem in flat arrays (structure of arrays), reused across
// problems so the hot loop allocates nothing per node.
//
// Node 0 is the problem root ("0"); node n has a parent, its index k among the kept non-terminal
// successors of that parent (its id is "<parent id>,k"), the operation that produced it, its heuristic
// key and its numbers (Stride slots, Len used). Ids, operation lists and SearchNode records are built
// only on demand (prompts, recaps). It does not search and does not write trace lines.
using System.Text;
using Apr.Countdown;

namespace Apr.Search;

internal sealed class NodeArena
{
    public const int Stride = Heuristics.MaxNumbers;

    public int Count;
    public int[] Parent = new int[512];
    public int[] K = new int[512];
    public long[] Key = new long[512];
    public int[] Len = new int[512];
    public Operation[] Op = new Operation[512];
    public long[] Nums = new long[512 * Stride];

    public void Reset(ReadOnlySpan<long> rootNums, long rootKey)
    {
        Count = 0;
        Add(-1, 0, default, rootKey, rootNums);
    }

    public int Add(int parent, int k, Operation op, long key, ReadOnlySpan<long> nums)
    {
        if (Count == Parent.Length) Grow();
        var n = Count++;
        Parent[n] = parent;
        K[n] = k;
        Op[n] = op;
        Key[n] = key;
        Len[n] = nums.Length;
        nums.CopyTo(Nums.AsSpan(n * Stride, Stride));
        return n;
    }

    public ReadOnlySpan<long> NumsOf(int node) => Nums.AsSpan(node * Stride, Len[node]);

    public int Depth(int node)
    {
        var d = 0;
        for (var p = Parent[node]; p >= 0; p = Parent[p]) d++;
        return d;
    }

    /// <summary>Appends the node id, e.g. "0,1,2".</summary>
    public void AppendId(StringBuilder sb, int node)
    {
        var p = Parent[node];
        if (p < 0) { sb.Append('0'); return; }
        AppendId(sb, p);
        sb.Append(',').Append(K[node]);
    }

    public string IdOf(int node)
    {
        var sb = new StringBuilder(16);
        AppendId(sb, node);
        return sb.ToString();
    }

    /// <summary>The operations from the root to <paramref name="node"/>.</summary>
    public Operation[] OperationsOf(int node)
    {
        var ops = new Operation[Depth(node)];
        for (int n = node, i = ops.Length - 1; i >= 0; n = Parent[n], i--) ops[i] = Op[n];
        return ops;
    }

    public SearchNode ToSearchNode(int node) => new(IdOf(node), NumsOf(node).ToArray(), OperationsOf(node));

    /// <summary>The nodes from <paramref name="start"/> down to <paramref name="goal"/> (a descendant), as SearchNodes.</summary>
    public List<SearchNode> PathFrom(int start, int goal)
    {
        var path = new List<SearchNode>(6);
        for (var n = goal; ; n = Parent[n])
        {
            if (n < 0) throw new InvalidOperationException($"node {IdOf(goal)} does not descend from node {IdOf(start)}");
            path.Add(ToSearchNode(n));
            if (n == start) break;
        }
        path.Reverse();
        return path;
    }

    private void Grow()
    {
        var size = Parent.Length * 2;
        Array.Resize(ref Parent, size);
        Array.Resize(ref K, size);
        Array.Resize(ref Key, size);
        Array.Resize(ref Len, size);
        Array.Resize(ref Op, size);
        Array.Resize(ref Nums, size * Stride);
    }
}
