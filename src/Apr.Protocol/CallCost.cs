// CallCost: the cost figures of reference section 6, defined once. A run is a list of calls, each with
// the tokens it holds (BOS + prompt, completion + EOS), the part of its prompt that repeats the thread's
// previous call (a parent resumed after a join: counted once), and the children it started. The
// runtime's records (a model's run, counted from what the engine held) and TraceCost (a finished trace
// tree read or written by a solver, counted by tokenizing its text) both reduce to these shapes, so the
// two cannot count differently:
//   total       every call's new prompt tokens plus its completion;
//   sequential  completion tokens along the longest chain that cannot run in parallel: a thread's calls
//               in order, plus, per spawn the thread resumed from, its slowest child's chain (a spawn
//               whose join never came, because the problem stopped, adds nothing: it delivered nothing);
//   longest     the most tokens one call holds (the context a run needs);
//   spawns      calls that started children; children: the children started.
namespace Apr.Protocol;

/// <summary>One call's token counts. <see cref="PromptTokens"/> includes BOS; <see cref="CompletionTokens"/> includes EOS.</summary>
public readonly record struct CallShape(string Thread, int PromptTokens, int SharedPrefixTokens, int CompletionTokens, int SpawnedChildren)
{
    public int Tokens => PromptTokens + CompletionTokens;
}

public sealed record CallCost(int LongestCall, long TotalTokens, long SequentialTokens, int Spawns, int Children)
{
    /// <summary>The figures of <paramref name="calls"/>; each thread's calls in order (the root's first call first), child ids as <see cref="TraceTree.ChildThread"/> numbers them.</summary>
    public static CallCost Of(IReadOnlyList<CallShape> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0) return new CallCost(0, 0, 0, 0, 0);
        int longest = 0, spawns = 0, children = 0;
        long total = 0;
        foreach (var c in calls)
        {
            longest = Math.Max(longest, c.Tokens);
            total += c.Tokens - c.SharedPrefixTokens;
            if (c.SpawnedChildren > 0) { spawns++; children += c.SpawnedChildren; }
        }
        return new CallCost(longest, total, Chain(calls, calls[0].Thread, ByThread(calls), null), spawns, children);
    }

    /// <summary>
    /// The calls (indices into <paramref name="calls"/>) along the chain <see cref="SequentialTokens"/> counts:
    /// a thread's calls, and per join its slowest child's chain (the first such child on a tie). Their
    /// completion tokens sum to SequentialTokens; the viewers highlight them as the critical path.
    /// </summary>
    public static IReadOnlyList<int> CriticalPath(IReadOnlyList<CallShape> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var path = new List<int>();
        if (calls.Count > 0) Chain(calls, calls[0].Thread, ByThread(calls), path);
        return path;
    }

    private static Dictionary<string, List<int>> ByThread(IReadOnlyList<CallShape> calls)
    {
        var byThread = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < calls.Count; i++)
        {
            if (!byThread.TryGetValue(calls[i].Thread, out var list)) byThread[calls[i].Thread] = list = [];
            list.Add(i);
        }
        return byThread;
    }

    /// <summary>The chain's completion tokens from <paramref name="thread"/>; its calls are added to <paramref name="path"/> when given.</summary>
    private static long Chain(IReadOnlyList<CallShape> calls, string thread, Dictionary<string, List<int>> byThread, List<int>? path)
    {
        if (!byThread.TryGetValue(thread, out var own)) return 0;
        long chain = 0;
        int next = 0;
        for (int i = 0; i < own.Count; i++)
        {
            chain += calls[own[i]].CompletionTokens;
            path?.Add(own[i]);
            long slowest = 0;
            List<int>? slowestPath = null;
            for (int k = 0; k < calls[own[i]].SpawnedChildren; k++)
            {
                var childPath = path is null ? null : new List<int>();
                long child = Chain(calls, TraceTree.ChildThread(thread, next++), byThread, childPath);
                if (k == 0 || child > slowest) (slowest, slowestPath) = (child, childPath);
            }
            if (i + 1 < own.Count) // joined: the thread waited for its slowest child
            {
                chain += slowest;
                if (slowestPath is not null) path!.AddRange(slowestPath);
            }
        }
        return chain;
    }
}
