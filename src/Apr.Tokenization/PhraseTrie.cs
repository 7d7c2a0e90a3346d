// PhraseTrie: longest-match lookup of the fixed phrases, one array read per character (each node has a
// 128-entry child table, since phrases are ASCII). Built once per tokenizer; read-only afterwards, so
// it is safe to share between threads.
//
// It knows phrases only, not numbers or the byte fallback; TraceTokenizer decides what to do when no
// phrase matches.
namespace Apr.Tokenization;

internal sealed class PhraseTrie
{
    private const int Fanout = 128;
    private readonly int[] _next;  // node * Fanout + char -> child node, 0 = none (the root is never a child)
    private readonly int[] _match; // node -> phrase index ending here, or -1

    public PhraseTrie(IReadOnlyList<string> phrases)
    {
        var nodeCount = 1 + phrases.Sum(p => p.Length);
        _next = new int[nodeCount * Fanout];
        _match = new int[nodeCount];
        Array.Fill(_match, -1);
        var used = 1;
        for (var p = 0; p < phrases.Count; p++)
        {
            var node = 0;
            foreach (var c in phrases[p])
            {
                if (c >= Fanout) throw new ArgumentException($"phrase {p} \"{phrases[p]}\" has non-ASCII char U+{(int)c:X4}");
                ref var child = ref _next[node * Fanout + c];
                if (child == 0) child = used++;
                node = child;
            }
            if (_match[node] >= 0) throw new ArgumentException($"phrase {p} \"{phrases[p]}\" duplicates phrase {_match[node]}");
            _match[node] = p;
        }
    }

    /// <summary>
    /// The index of the longest phrase that starts at <paramref name="text"/>[<paramref name="start"/>],
    /// or -1; <paramref name="length"/> is its length.
    /// </summary>
    public int LongestMatch(ReadOnlySpan<char> text, int start, out int length)
    {
        var best = -1;
        length = 0;
        var node = 0;
        for (var k = start; k < text.Length; k++)
        {
            int c = text[k];
            if (c >= Fanout) break;
            node = _next[node * Fanout + c];
            if (node == 0) break;
            var m = _match[node];
            if (m >= 0)
            {
                best = m;
                length = k - start + 1;
            }
        }
        return best;
    }
}
