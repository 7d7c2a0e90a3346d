// TraceCost: the cost figures of reference section 6 for a finished trace tree (a demonstration from a
// symbolic solver, or any tree read from a file): the tree's calls tokenized and framed as the runtime
// frames them (CallFraming; a resumed parent's shared prefix is its text up to the spawn block), then
// counted by CallCost, the one definition the runtime's records use too. It does not validate the tree
// (TraceValidator does).
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Data;

/// <summary>
/// <see cref="LongestCall"/>: the most tokens one call holds (the context a tree needs);
/// <see cref="TotalTokens"/>, <see cref="SequentialTokens"/>: as the runtime's ProblemRecord (both CallCost);
/// <see cref="Spawns"/>: calls that started children; <see cref="Children"/>: threads other than the root;
/// <see cref="CallLengths"/>: the tokens each call holds (BOS + prompt + completion + EOS), in order.
/// </summary>
public sealed record TraceCost(int LongestCall, long TotalTokens, long SequentialTokens, int Spawns, int Children, IReadOnlyList<int> CallLengths)
{
    /// <summary>The figures of <paramref name="calls"/> (execution order: a spawning call, its children depth first, the resume).</summary>
    public static TraceCost Of(IReadOnlyList<ThreadCall> calls, TraceTokenizer tokenizer)
    {
        var shapes = Shapes(calls, tokenizer);
        var cost = CallCost.Of(shapes);
        return new TraceCost(cost.LongestCall, cost.TotalTokens, cost.SequentialTokens, cost.Spawns, cost.Children, shapes.Select(c => c.Tokens).ToArray());
    }

    /// <summary>
    /// Each call's token counts, framed as the runtime frames them (CallFraming); a call's children are
    /// the threads whose first call names it as parent before the thread's next call.
    /// </summary>
    public static CallShape[] Shapes(IReadOnlyList<ThreadCall> calls, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var shapes = new CallShape[calls.Count];
        var previousText = new Dictionary<string, string>(StringComparer.Ordinal);
        var latestCall = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            int shared = previousText.TryGetValue(call.Thread, out var before) ? SharedPrefixTokens(before, tokenizer) : 0;
            if (!previousText.ContainsKey(call.Thread) && call.Parent is { } parent && latestCall.TryGetValue(parent, out var spawner))
                shapes[spawner] = shapes[spawner] with { SpawnedChildren = shapes[spawner].SpawnedChildren + 1 };
            shapes[i] = new CallShape(call.Thread, tokenizer.PromptLength(call.Prompt), shared, tokenizer.CompletionLength(call.Completion), 0);
            previousText[call.Thread] = call.Text;
            latestCall[call.Thread] = i;
        }
        return shapes;
    }

    /// <summary>BOS + the text before the last spawn block: what a resumed call repeats of its previous call.</summary>
    public static int SharedPrefixTokens(string previousText, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(previousText);
        var cut = SpawnJoin.LastSpawnStart(previousText);
        return cut < 0 ? 0 : tokenizer.PromptLength(previousText.AsSpan(0, cut));
    }
}
