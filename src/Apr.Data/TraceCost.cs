// TraceCost: the cost figures of reference section 6 for a finished trace tree (a demonstration from a
// symbolic solver, or any tree read from a file), counted the way the runtime counts a model's run:
// every call holds BOS + prompt + completion + EOS; a resumed parent's shared prefix (its text up to the
// spawn block) is counted once in the total; sequential tokens are the completion tokens (EOS included)
// along the longest chain that cannot run in parallel: a thread's calls in order, plus per spawn its
// slowest child's chain. It does not validate the tree (TraceValidator does).
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Data;

/// <summary>
/// <see cref="LongestCall"/>: the most tokens one call holds (the context a tree needs);
/// <see cref="TotalTokens"/>, <see cref="SequentialTokens"/>: as the runtime's ProblemRecord;
/// <see cref="Spawns"/>: calls ending in a spawn block; <see cref="Children"/>: threads other than the root;
/// <see cref="CallLengths"/>: the tokens each call holds (BOS + prompt + completion + EOS), in order.
/// </summary>
public sealed record TraceCost(int LongestCall, long TotalTokens, long SequentialTokens, int Spawns, int Children, IReadOnlyList<int> CallLengths)
{
    /// <summary>The figures of <paramref name="calls"/> (execution order: a spawning call, its children depth first, the resume).</summary>
    public static TraceCost Of(IReadOnlyList<ThreadCall> calls, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(tokenizer);
        int longest = 0, spawns = 0;
        long total = 0;
        var completion = new long[calls.Count];
        var lengths = new int[calls.Count];
        var previousText = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            int prompt = tokenizer.CountTokens(call.Prompt);
            completion[i] = tokenizer.CountTokens(call.Completion) + 1;
            int length = lengths[i] = 1 + prompt + (int)completion[i];
            longest = Math.Max(longest, length);
            int shared = previousText.TryGetValue(call.Thread, out var before) ? SharedPrefixTokens(before, tokenizer) : 0;
            total += length - shared;
            previousText[call.Thread] = call.Text;
            if (EndsInSpawn(call)) spawns++;
        }
        long sequential = calls.Count == 0 ? 0 : Chain(calls, completion, calls[0].Thread, 0, out _);
        return new TraceCost(longest, total, sequential, spawns, previousText.Count - (calls.Count == 0 ? 0 : 1), lengths);
    }

    /// <summary>BOS + the text before the last spawn block: what a resumed call repeats of its previous call.</summary>
    public static int SharedPrefixTokens(string previousText, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(previousText);
        var cut = SpawnJoin.LastSpawnStart(previousText);
        return cut < 0 ? 0 : 1 + tokenizer.CountTokens(previousText.AsSpan(0, cut));
    }

    private static bool EndsInSpawn(ThreadCall call) =>
        call.Completion.EndsWith(Apr.Countdown.TraceFormat.EndCallingSubSearches + "\n", StringComparison.Ordinal);

    /// <summary>The chain of <paramref name="thread"/> whose first call is at <paramref name="start"/>; <paramref name="end"/> is the index after its subtree.</summary>
    private static long Chain(IReadOnlyList<ThreadCall> calls, long[] completion, string thread, int start, out int end)
    {
        long chain = 0;
        int i = start;
        while (i < calls.Count && calls[i].Thread == thread)
        {
            chain += completion[i];
            bool spawned = EndsInSpawn(calls[i]);
            i++;
            if (!spawned) continue;
            long slowest = 0;
            while (i < calls.Count && calls[i].Parent == thread && calls[i].Thread != thread)
            {
                slowest = Math.Max(slowest, Chain(calls, completion, calls[i].Thread, i, out i));
            }
            chain += slowest;
        }
        end = i;
        return chain;
    }
}
