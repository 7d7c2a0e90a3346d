// OpenSet: the search's min-heap of node indices, ordered by heuristic key, ties broken by insertion
// order (so it is deterministic, unlike the reference's heapq over equal-keyed nodes). Reused across
// problems; it does not know what a node is beyond its key.
namespace Apr.Search;

internal sealed class OpenSet
{
    private long[] _key = new long[64];
    private long[] _seq = new long[64];
    private int[] _node = new int[64];
    private long _next;

    public int Count { get; private set; }

    public void Clear()
    {
        Count = 0;
        _next = 0;
    }

    public int Peek() => Count > 0 ? _node[0] : throw new InvalidOperationException("the open set is empty");

    public void Push(long key, int node)
    {
        if (Count == _key.Length)
        {
            Array.Resize(ref _key, Count * 2);
            Array.Resize(ref _seq, Count * 2);
            Array.Resize(ref _node, Count * 2);
        }
        var seq = _next++;
        var i = Count++;
        while (i > 0)
        {
            var p = (i - 1) >> 1;
            if (!Less(key, seq, _key[p], _seq[p])) break;
            Set(i, _key[p], _seq[p], _node[p]);
            i = p;
        }
        Set(i, key, seq, node);
    }

    public int Pop()
    {
        if (Count == 0) throw new InvalidOperationException("the open set is empty");
        var top = _node[0];
        var last = --Count;
        if (last > 0)
        {
            long key = _key[last], seq = _seq[last];
            var node = _node[last];
            var i = 0;
            while (true)
            {
                var c = 2 * i + 1;
                if (c >= last) break;
                if (c + 1 < last && Less(_key[c + 1], _seq[c + 1], _key[c], _seq[c])) c++;
                if (!Less(_key[c], _seq[c], key, seq)) break;
                Set(i, _key[c], _seq[c], _node[c]);
                i = c;
            }
            Set(i, key, seq, node);
        }
        return top;
    }

    private static bool Less(long k1, long s1, long k2, long s2) => k1 < k2 || (k1 == k2 && s1 < s2);

    private void Set(int i, long key, long seq, int node)
    {
        _key[i] = key;
        _seq[i] = seq;
        _node[i] = node;
    }
}
