// ReferenceConverter: reads the Python reference's trace formats into our TraceTree.
//
// APR trace_dict -> calls in execution order (a spawning call, its children depth first, the resumed
// call). Thread ids: root "0", children "<parent>.<k>" with k counted over all of the parent's spawns.
// The prompt of a thread's first call is its first two lines (Moving + Current State); the prompt of a
// resumed call is its text through the last "<End Sub Searches>\n", and must equal the previous call's
// text cut before its spawn block plus a join block. SoS+ search_path -> one call whose prompt is the
// first line. It does no JSON (the data layer does) and no validation beyond that (TraceValidator does).
using Apr.Countdown;

namespace Apr.Protocol;

public static class ReferenceConverter
{
    /// <summary>Converts a reference APR <c>trace_dict</c> to a trace tree.</summary>
    public static TraceTree FromTraceDict(ReferenceTraceDict dict)
    {
        ArgumentNullException.ThrowIfNull(dict);
        var calls = new List<ThreadCall>();
        Add(dict, NodeIds.Root, null, calls);
        return new TraceTree(SearchMethod.Apr, calls);
    }

    /// <summary>Converts a reference SoS+ <c>search_path</c> to a one-call tree (thread "0").</summary>
    public static TraceTree FromSearchPath(string searchPath)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        var nl = searchPath.IndexOf('\n');
        if (nl < 0) throw new ProtocolException(ProtocolErrorKind.MalformedLine, "the SoS+ search path has no complete first line");
        return new TraceTree(SearchMethod.SosPlus, [new ThreadCall(NodeIds.Root, null, searchPath[..(nl + 1)], searchPath[(nl + 1)..])]);
    }

    private static void Add(ReferenceTraceDict dict, string thread, string? parent, List<ThreadCall> calls)
    {
        if (dict.MainCalls.Count == 0) throw new ProtocolException(ProtocolErrorKind.BadState, $"thread {thread}: trace_dict has no main calls");
        if (dict.SubCalls.Count != dict.MainCalls.Count - 1)
            throw new ProtocolException(ProtocolErrorKind.BadState, $"thread {thread}: {dict.MainCalls.Count} main calls need {dict.MainCalls.Count - 1} spawns, got {dict.SubCalls.Count}");
        var child = 0;
        for (var m = 0; m < dict.MainCalls.Count; m++)
        {
            var text = dict.MainCalls[m];
            int cut;
            if (m == 0)
            {
                var first = text.IndexOf('\n');
                cut = first < 0 ? -1 : text.IndexOf('\n', first + 1) + 1;
                if (cut <= 0) throw new ProtocolException(ProtocolErrorKind.BadState, $"thread {thread}: the first call has fewer than two lines");
            }
            else
            {
                var endJoin = text.LastIndexOf(TraceFormat.EndSubSearches + "\n", StringComparison.Ordinal);
                if (endJoin < 0) throw new ProtocolException(ProtocolErrorKind.BadState, $"thread {thread}: call {m} has no '<End Sub Searches>' line");
                cut = endJoin + TraceFormat.EndSubSearches.Length + 1;
                var previous = dict.MainCalls[m - 1];
                var spawnAt = SpawnJoin.LastSpawnStart(previous);
                if (spawnAt < 0) throw new ProtocolException(ProtocolErrorKind.NoSpawnBlock, $"thread {thread}: call {m - 1} does not end in a spawn block");
                var expected = previous[..spawnAt] + TraceFormat.SubSearches + "\n";
                if (!text.StartsWith(expected, StringComparison.Ordinal))
                    throw new ProtocolException(ProtocolErrorKind.BadState, $"thread {thread}: call {m} does not continue call {m - 1} cut before its spawn block");
            }
            calls.Add(new ThreadCall(thread, parent, text[..cut], text[cut..]));
            if (m < dict.SubCalls.Count)
                foreach (var sub in dict.SubCalls[m])
                    Add(sub, TraceTree.ChildThread(thread, child++), thread, calls);
        }
    }
}
