// ProblemRecord: the result of solving one problem: the answer and its strict verification, every call
// of every thread, and the cost figures of reference section 6. Plain data; JSON in ProblemRecordJson.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference;

/// <summary>
/// <see cref="Answer"/>: the root's recap operations (53-22=31, ...) or null; text only in JSON. <see cref="Correct"/>: the
/// strict Verifier's judgment. <see cref="TotalTokens"/>: every call's new prompt tokens plus its
/// completion (a resumed parent's shared prefix counted once). <see cref="SequentialTokens"/>: completion
/// tokens along the longest chain that cannot run in parallel (a thread's calls in order, plus per spawn
/// its slowest child's chain). <see cref="LatencyMs"/>: from the root's admission to the problem's end (null for a symbolic solver's run: its wall time is not a model's).
/// <see cref="Outcome"/>: the root's last outcome (or the guard that stopped the problem).
/// </summary>
public sealed record ProblemRecord(
    string Id,
    int Sample,
    long Target,
    IReadOnlyList<long> Nums,
    SearchMethod Method,
    IReadOnlyList<Operation>? Answer,
    bool Correct,
    string? VerifyError,
    ThreadOutcome Outcome,
    IReadOnlyList<ThreadCallRecord> Calls,
    long TotalTokens,
    long SampledTokens,
    long SequentialTokens,
    double? LatencyMs,
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

    /// <summary>
    /// The calls as a trace tree in the protocol's execution order (spawning call, children depth first,
    /// resume), from what the runtime stored: each call's <see cref="ThreadCallRecord.SpawnedChildren"/>
    /// names the thread's next child ids. Nothing is re-parsed from the text.
    /// </summary>
    public TraceTree ToTraceTree()
    {
        var byThread = Calls.GroupBy(c => c.Thread).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Call).ToList(), StringComparer.Ordinal);
        var ordered = new List<ThreadCall>(Calls.Count);
        void Visit(string thread)
        {
            if (!byThread.TryGetValue(thread, out var calls)) return;
            int next = 0;
            foreach (var call in calls)
            {
                ordered.Add(new ThreadCall(call.Thread, call.Parent, call.Prompt, call.Completion));
                for (int i = 0; i < call.SpawnedChildren; i++) Visit(TraceTree.ChildThread(thread, next++));
            }
        }
        Visit(Countdown.NodeIds.Root);
        return new TraceTree(Method, ordered);
    }
}
