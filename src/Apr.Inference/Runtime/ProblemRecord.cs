// ProblemRecord: the result of solving one problem: the answer and its strict verification, every call
// of every thread, and the cost figures of reference section 6. Plain data; JSON in ProblemRecordJson.
using Apr.Protocol;

namespace Apr.Inference;

/// <summary>
/// <see cref="Answer"/>: the root's recap operations ("53-22=31", ...) or null. <see cref="Correct"/>: the
/// strict Verifier's judgment. <see cref="TotalTokens"/>: every call's new prompt tokens plus its
/// completion (a resumed parent's shared prefix counted once). <see cref="SequentialTokens"/>: completion
/// tokens along the longest chain that cannot run in parallel (a thread's calls in order, plus per spawn
/// its slowest child's chain). <see cref="LatencyMs"/>: from the root's admission to the problem's end.
/// <see cref="Outcome"/>: the root's last outcome (or the guard that stopped the problem).
/// </summary>
public sealed record ProblemRecord(
    string Id,
    int Sample,
    long Target,
    IReadOnlyList<long> Nums,
    SearchMethod Method,
    IReadOnlyList<string>? Answer,
    bool Correct,
    string? VerifyError,
    ThreadOutcome Outcome,
    IReadOnlyList<ThreadCallRecord> Calls,
    long TotalTokens,
    long SampledTokens,
    long SequentialTokens,
    double LatencyMs,
    long Steps,
    int Children,
    int Spawns)
{
    /// <summary>The total-token budget the problem ran under (SolveOptions.Budget), or null for none.</summary>
    public long? Budget { get; init; }

    /// <summary>The longest call (prompt + completion tokens): the context a sample needs to count under a context limit.</summary>
    public int MaxCallTokens => Calls.Count == 0 ? 0 : Calls.Max(c => c.PromptTokens + c.Tokens.Count);

    /// <summary>Distinct threads (the root and every child).</summary>
    public int Threads => Calls.Select(c => c.Thread).Distinct().Count();

    /// <summary>The calls as a trace tree in the protocol's execution order (spawning call, children depth first, resume).</summary>
    public TraceTree ToTraceTree()
    {
        var ordered = new List<ThreadCall>();
        void Visit(string thread)
        {
            var calls = Calls.Where(c => c.Thread == thread).OrderBy(c => c.Call).ToList();
            int childCursor = 0;
            var children = Calls.Where(c => c.Parent == thread && c.Call == 0).Select(c => c.Thread)
                .OrderBy(t => int.Parse(t[(t.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            foreach (var call in calls)
            {
                ordered.Add(new ThreadCall(call.Thread, call.Parent, call.Prompt, call.Completion));
                if (call.Outcome != ThreadOutcome.Spawned) continue;
                int count = SpawnCount(call);
                for (int i = 0; i < count && childCursor < children.Count; i++) Visit(children[childCursor++]);
            }
        }
        Visit(Protocol.TraceTreeRoot);
        return new TraceTree(Method, ordered);
    }

    private static int SpawnCount(ThreadCallRecord call)
    {
        var at = SpawnJoin.LastSpawnStart(call.Prompt + call.Completion);
        if (at < 0) return 0;
        var block = (call.Prompt + call.Completion)[at..];
        return block.Split('\n').Count(l => l.StartsWith("<Start Sub Search ", StringComparison.Ordinal));
    }

    private static class Protocol
    {
        public const string TraceTreeRoot = "0";
    }
}
