// TraceValidator: checks a whole trace tree (every call of every thread) with ThreadGrammar, the one
// source of truth for the language, plus the tree-level rules of the protocol:
//  - the root is thread "0" with a valid root prompt of the tree's method (APR: "Moving to Node #0" and
//    the state; SoS+: the state), read as the method says, never guessed from the text;
//  - a child's first call comes after its parent's spawn, in spawn order, with thread id
//    "<parent>.<k>" (k counted over all the parent's spawns) and prompt == SpawnJoin.ChildPrompt(node),
//    or the root prompt's conditioning prefix (e.g. "Token Budget: 8 ") followed by it: a model told its
//    budget in every thread (BudgetedTraces.TellChildren);
//  - a resumed call comes after all children of the spawn finished, and its prompt equals the join
//    prompt built from the parent's text and the children's actual results;
//  - every completion line is legal, and every call ends properly (finished, or a spawn block);
//  - the root's answer (its recap) is verified with the strict Verifier.
// It stops at the first failure. It does not judge search quality.
using Apr.Countdown;

namespace Apr.Protocol;

public static class TraceValidator
{
    private sealed class Run(string id, string? parent, GrammarSettings settings, ThreadGrammar grammar)
    {
        public string Id { get; } = id;
        public string? Parent { get; } = parent;
        public GrammarSettings Settings { get; } = settings;
        public ThreadGrammar Grammar { get; } = grammar;
        public string Text { get; set; } = "";
        public SpawnRequest? Spawn { get; set; }
        public List<Run> Children { get; } = [];
        public int ChildrenEver { get; set; }
        /// <summary>The root's: the conditioning prefixes before its first prompt's first line ("" for none).</summary>
        public string Conditioning { get; init; } = "";
    }

    private sealed class Failure(string thread, int call, int line, ProtocolErrorKind kind, string reason) : Exception(reason)
    {
        public string Thread { get; } = thread;
        public int Call { get; } = call;
        public int Line { get; } = line;
        public ProtocolErrorKind Kind { get; } = kind;
    }

    /// <summary>Validates <paramref name="tree"/>; never throws for bad traces (the result says what is wrong).</summary>
    public static ValidationResult Validate(TraceTree tree, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= ValidationOptions.Default;
        var runs = new Dictionary<string, Run>(StringComparer.Ordinal);
        Run? root = null;
        try
        {
            if (tree.Calls.Count == 0) throw new Failure("0", 0, 0, ProtocolErrorKind.BadState, "the tree has no calls");
            for (var c = 0; c < tree.Calls.Count; c++)
            {
                var call = tree.Calls[c];
                if (!runs.TryGetValue(call.Thread, out var run))
                {
                    run = StartThread(tree.Method, call, c, runs, options, root is null);
                    runs[call.Thread] = run;
                    root ??= run;
                }
                else Resume(run, call, c);
                Feed(run, call, c);
            }
            foreach (var run in runs.Values)
                if (run.Grammar.State != GrammarState.Finished)
                    throw new Failure(run.Id, tree.Calls.Count - 1, 0, ProtocolErrorKind.BadState, $"thread {run.Id} never finished (it is {run.Grammar.State})");
        }
        catch (Failure f)
        {
            return new ValidationResult(false, f.Thread, f.Call, f.Line, f.Kind, f.Message, root?.Grammar.Target ?? 0, root?.Grammar.StartNode.Nums ?? [], null, false);
        }
        var g = root!.Grammar;
        var answer = g.Answer;
        var verifies = answer is not null && Verifier.Verify(g.Target, g.StartNode.Nums, answer).Ok;
        return new ValidationResult(true, null, 0, 0, null, null, g.Target, g.StartNode.Nums, answer, verifies);
    }

    private static Run StartThread(SearchMethod method, ThreadCall call, int c, Dictionary<string, Run> runs, ValidationOptions options, bool isRoot)
    {
        if (isRoot)
        {
            if (call.Thread != NodeIds.Root || call.Parent is not null)
                throw new Failure(call.Thread, c, 0, ProtocolErrorKind.BadState, $"the first call must be thread '0' without a parent, not thread '{call.Thread}' (parent '{call.Parent}')");
            var settings = method == SearchMethod.Apr ? new GrammarSettings(SearchMethod.Apr, 0, options.AprMaxDepth, options.MaxChildren) : new GrammarSettings(SearchMethod.SosPlus, 0, options.SosMaxDepth);
            var grammar = Guard(call.Thread, c, 0, () => ThreadGrammar.Start(call.Prompt, settings));
            // The grammar accepted the prompt, so whatever precedes its 'Moving to Node' line is conditioning.
            var conditioning = method == SearchMethod.Apr ? call.Prompt[..Math.Max(0, call.Prompt.IndexOf("Moving to Node #", StringComparison.Ordinal))] : "";
            return new Run(call.Thread, null, settings, grammar) { Conditioning = conditioning };
        }
        if (call.Parent is null || !runs.TryGetValue(call.Parent, out var parent))
            throw new Failure(call.Thread, c, 0, ProtocolErrorKind.BadState, $"thread {call.Thread} names parent '{call.Parent}', which has not run");
        if (parent.Spawn is null || parent.Children.Count >= parent.Spawn.Children.Count)
            throw new Failure(call.Thread, c, 0, ProtocolErrorKind.BadState, $"thread {call.Thread} starts, but its parent {parent.Id} has no pending child to start");
        var expectedId = TraceTree.ChildThread(parent.Id, parent.ChildrenEver);
        if (call.Thread != expectedId)
            throw new Failure(call.Thread, c, 0, ProtocolErrorKind.WrongChildIndex, $"thread '{call.Thread}' should be '{expectedId}' (children are numbered over all of the parent's spawns, in order)");
        var slot = parent.Spawn.Children[parent.Children.Count];
        var told = runs[NodeIds.Root].Conditioning;
        if (call.Prompt != slot.Prompt && call.Prompt != told + slot.Prompt)
            throw new Failure(call.Thread, c, 0, ProtocolErrorKind.BadState, $"child prompt '{call.Prompt.TrimEnd('\n')}' should be '{slot.Prompt.TrimEnd('\n')}'" + (told.Length > 0 ? $", or that after the root's '{told}'" : ""));
        var childSettings = parent.Settings.ForChild();
        var run = new Run(call.Thread, parent.Id, childSettings, Guard(call.Thread, c, 0, () => ThreadGrammar.Start(call.Prompt, childSettings)));
        parent.Children.Add(run);
        parent.ChildrenEver++;
        return run;
    }

    private static void Resume(Run run, ThreadCall call, int c)
    {
        if (call.Parent != run.Parent)
            throw new Failure(run.Id, c, 0, ProtocolErrorKind.BadState, $"thread {run.Id} resumes with parent '{call.Parent}'; its parent is '{run.Parent}'");
        if (run.Spawn is null)
            throw new Failure(run.Id, c, 0, ProtocolErrorKind.TextAfterEnd, $"thread {run.Id} has another call but did not end its last call with a spawn block");
        if (run.Children.Count != run.Spawn.Children.Count)
            throw new Failure(run.Id, c, 0, ProtocolErrorKind.BadState, $"thread {run.Id} resumes after {run.Children.Count} of its {run.Spawn.Children.Count} children ran");
        var results = new List<ChildResult>();
        for (var i = 0; i < run.Children.Count; i++)
        {
            var child = run.Children[i];
            if (child.Grammar.State == GrammarState.AwaitingJoin)
                throw new Failure(child.Id, c, 0, ProtocolErrorKind.BadState, $"thread {run.Id} resumes while its child {child.Id} awaits its own join");
            string? problem = null;
            results.Add(SpawnProtocol.ResultOf(i, child.Grammar, ref problem));
        }
        var expected = SpawnProtocol.JoinPrompt(run.Spawn, results);
        if (call.Prompt != expected)
            throw new Failure(run.Id, c, 0, ProtocolErrorKind.BadState, $"the resumed call's prompt is not the join prompt built from the children's results (first difference at character {call.Prompt.AsSpan().CommonPrefixLength(expected)})");
        var cut = SpawnJoin.LastSpawnStart(run.Text);
        Guard(run.Id, c, 0, () => { run.Grammar.AdvanceInserted(expected[cut..]); return 0; });
        run.Spawn = null;
        run.Children.Clear();
    }

    private static void Feed(Run run, ThreadCall call, int c)
    {
        var lines = ThreadGrammar.SplitLinesLenient(call.Completion);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (!line.EndsWith('\n'))
                throw new Failure(run.Id, c, i + 1, ProtocolErrorKind.MalformedLine, $"the call ends in the unfinished line '{line}' (cut off?)");
            Guard(run.Id, c, i + 1, () => { run.Grammar.Advance(line); return 0; });
        }
        run.Text = call.Prompt + call.Completion;
        switch (run.Grammar.State)
        {
            case GrammarState.AwaitingJoin:
                run.Spawn = SpawnProtocol.FromGrammar(run.Grammar, run.Text);
                break;
            case GrammarState.Open:
                throw new Failure(run.Id, c, lines.Count, run.Grammar.InSpawnBlock ? ProtocolErrorKind.UnclosedSpawnBlock : ProtocolErrorKind.BadState,
                    $"the call ends without a valid ending; it could continue with '{run.Grammar.Options[0].TrimEnd('\n')}'");
        }
    }

    private static T Guard<T>(string thread, int call, int line, Func<T> action)
    {
        try { return action(); }
        catch (ProtocolException e) { throw new Failure(thread, call, line, e.Kind, e.Message); }
    }
}
