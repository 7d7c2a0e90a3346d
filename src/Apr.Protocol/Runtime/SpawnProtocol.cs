// SpawnProtocol: the runtime's side of spawn/join (reference section 4), built on ThreadGrammar so the
// runtime and the validator share one definition of the language.
//
//   ParseSpawn:      a parent's prompt + completion -> SpawnRequest (nodes resolved, child prompts built)
//   ReadChildResult: a child's prompt + completion -> ChildResult (recap or failure)
//   JoinPrompt:      SpawnRequest + results -> the resumed parent's prompt (via SpawnJoin.JoinPrompt)
// Malformed parent text raises ProtocolException (never a wrong prompt). A child that did not end
// properly (cut off, garbage, still awaiting its own join) is a failure, reported with the reason.
using Apr.Countdown;

namespace Apr.Protocol;

public static class SpawnProtocol
{
    /// <summary>True when <paramref name="text"/> ends with the line <c>&lt;End Calling Sub Searches&gt;</c> (a cheap check; ParseSpawn validates).</summary>
    public static bool EndsInSpawnBlock(string text) =>
        text.EndsWith(TraceFormat.EndCallingSubSearches + "\n", StringComparison.Ordinal)
        && (text.Length == TraceFormat.EndCallingSubSearches.Length + 1 || text[^(TraceFormat.EndCallingSubSearches.Length + 2)] == '\n');

    /// <summary>
    /// Replays the parent's call and returns its spawn. Throws ProtocolException: NoSpawnBlock when the
    /// call does not end in a spawn block, UnclosedSpawnBlock when the block does not close, and the
    /// grammar's kinds (UnknownNode, NodeAlreadyExplored, ForbiddenJoinBlock, ...) for bad lines.
    /// </summary>
    public static SpawnRequest ParseSpawn(string prompt, string completion, GrammarSettings settings)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(completion);
        var grammar = ThreadGrammar.Start(prompt, settings);
        var lines = completion.Length == 0 ? [] : ThreadGrammar.SplitLinesLenient(completion);
        foreach (var line in lines)
        {
            if (!line.EndsWith('\n'))
                throw new ProtocolException(grammar.InSpawnBlock ? ProtocolErrorKind.UnclosedSpawnBlock : ProtocolErrorKind.MalformedLine,
                    $"the parent's text ends in the unfinished line '{line}'");
            grammar.Advance(line);
        }
        return FromGrammar(grammar, prompt + completion);
    }

    /// <summary>The spawn of a live grammar that is AwaitingJoin; <paramref name="parentText"/> is the thread's whole text.</summary>
    public static SpawnRequest FromGrammar(ThreadGrammar grammar, string parentText)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        if (grammar.InSpawnBlock)
            throw new ProtocolException(ProtocolErrorKind.UnclosedSpawnBlock, "the parent's spawn block has no '<End Calling Sub Searches>' line");
        if (grammar.State != GrammarState.AwaitingJoin)
            throw new ProtocolException(ProtocolErrorKind.NoSpawnBlock, $"the parent's call does not end in a spawn block (the thread is {grammar.State})");
        var nodes = grammar.SpawnedNodes;
        var children = new SpawnedChild[nodes.Count];
        for (var i = 0; i < nodes.Count; i++) children[i] = new SpawnedChild(i, nodes[i], SpawnJoin.ChildPrompt(grammar.Target, nodes[i]));
        return new SpawnRequest(parentText, grammar.Target, grammar.ChildLevel, children);
    }

    /// <summary>
    /// The result of child <paramref name="index"/> from its last call. Solved iff the thread finished with a
    /// goal; otherwise failed, with <paramref name="problem"/> saying why when it did not end with "No solution found.".
    /// </summary>
    public static ChildResult ReadChildResult(int index, string prompt, string completion, GrammarSettings childSettings, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ThreadGrammar grammar;
        try { grammar = ThreadGrammar.Start(prompt, childSettings); }
        catch (ProtocolException e)
        {
            throw new ProtocolException(e.Kind, $"child {index}'s prompt is invalid: {e.Message}");
        }
        var marks = GrammarReplay.Mark(grammar, completion);
        problem = marks.Ok ? null : $"child {index} left the trace language at character {marks.LeftAt}: {marks.Reason}";
        return ResultOf(index, grammar, ref problem);
    }

    /// <summary>The result of a child from its live grammar (see <see cref="ReadChildResult"/>).</summary>
    public static ChildResult ResultOf(int index, ThreadGrammar grammar, ref string? problem)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        var id = grammar.StartNode.Id;
        if (problem is null && grammar.State != GrammarState.Finished)
            problem = grammar.State == GrammarState.AwaitingJoin
                ? $"child {index} ended in a spawn block that was never joined"
                : $"child {index} stopped before a valid ending (cut off after {grammar.LinesAdvanced} lines)";
        return problem is null && grammar.RecapText is { } recap
            ? new ChildResult(index, id, true, recap)
            : ChildResult.Failed(index, id);
    }

    /// <summary>The resumed parent's prompt; checks that <paramref name="results"/> answer <paramref name="request"/>'s children in order.</summary>
    public static string JoinPrompt(SpawnRequest request, IReadOnlyList<ChildResult> results)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count != request.Children.Count)
            throw new ProtocolException(ProtocolErrorKind.WrongChildIndex, $"{results.Count} child results for a spawn of {request.Children.Count}");
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Index != i)
                throw new ProtocolException(ProtocolErrorKind.WrongChildIndex, $"result {i} has child index {results[i].Index}");
            if (results[i].NodeId != request.Children[i].Node.Id)
                throw new ProtocolException(ProtocolErrorKind.UnknownNode, $"result {i} is for node #{results[i].NodeId}; child {i} started at node #{request.Children[i].Node.Id}");
        }
        return SpawnJoin.JoinPrompt(request.ParentText, request.ChildLevel, results);
    }
}
