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
        var byThread = new Dictionary<string, List<CallShape>>(StringComparer.Ordinal);
        foreach (var c in calls)
        {
            longest = Math.Max(longest, c.Tokens);
            total += c.Tokens - c.SharedPrefixTokens;
            if (c.SpawnedChildren > 0) { spawns++; children += c.SpawnedChildren; }
            if (!byThread.TryGetValue(c.Thread, out var list)) byThread[c.Thread] = list = [];
            list.Add(c);
        }
        return new CallCost(longest, total, Chain(calls[0].Thread, byThread), spawns, children);
    }

    private static long Chain(string thread, Dictionary<string, List<CallShape>> byThread)
    {
        if (!byThread.TryGetValue(thread, out var own)) return 0;
        long chain = 0;
        int next = 0;
        for (int i = 0; i < own.Count; i++)
        {
            chain += own[i].CompletionTokens;
            long slowest = 0;
            for (int k = 0; k < own[i].SpawnedChildren; k++)
                slowest = Math.Max(slowest, Chain(TraceTree.ChildThread(thread, next++), byThread));
            if (i + 1 < own.Count) chain += slowest; // joined: the thread waited for its slowest child
        }
        return chain;
    }
}
