// RandomPolicy: the no-model baseline (reference section 11): plays threads by choosing uniformly among
// the grammar's options at every choice point, and a whole trace tree with a simple sequential
// runtime (children run one after another, then the parent resumes with the join prompt).
//
// It is also the property-test driver for "the grammar never offers a line the validator rejects".
// It does not batch, time, or count tokens; the engine does that.
using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Protocol;

public static class RandomPolicy
{
    /// <summary>
    /// Extends <paramref name="grammar"/> until it is Finished or AwaitingJoin and returns the written lines.
    /// After <paramref name="maxLines"/> lines it steers to an ending: "No solution found." at a choice point,
    /// "&lt;End Calling Sub Searches&gt;" inside a spawn block (forced lines are always written).
    /// </summary>
    public static string PlayThread(ThreadGrammar grammar, ref Rng rng, int maxLines = 2000)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        var sb = new StringBuilder();
        var written = 0;
        while (grammar.State == GrammarState.Open)
        {
            var options = grammar.Options;
            string line;
            if (options.Count == 1) line = options[0];
            else if (written >= maxLines)
            {
                var end = grammar.InSpawnBlock ? TraceFormat.EndCallingSubSearches + "\n" : TraceFormat.NoSolutionFound + "\n";
                line = options.Contains(end) ? end : options[0];
            }
            else line = options[(int)rng.NextBelow((ulong)options.Count)];
            grammar.Advance(line);
            sb.Append(line);
            written++;
        }
        return sb.ToString();
    }

    /// <summary>The root prompt of a problem: SoS+ <c>Current State: ...</c>, APR <c>Moving to Node #0</c> + state.</summary>
    public static string RootPrompt(CountdownProblem problem, SearchMethod mode)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var root = SearchNode.Root(problem.Nums);
        if (mode == SearchMethod.Apr) return SpawnJoin.ChildPrompt(problem.Target, root);
        return TraceFormat.CurrentState(new StringBuilder(), problem.Target, root.Nums, root.Operations).ToString();
    }

    /// <summary>Plays a whole tree for <paramref name="problem"/> with uniformly random choices.</summary>
    public static TraceTree PlayTree(CountdownProblem problem, GrammarSettings rootSettings, ref Rng rng, int maxLinesPerCall = 2000)
    {
        ArgumentNullException.ThrowIfNull(rootSettings);
        var calls = new List<ThreadCall>();
        PlayThreadTree(NodeIds.Root, null, RootPrompt(problem, rootSettings.Mode), rootSettings, ref rng, maxLinesPerCall, calls);
        return new TraceTree(rootSettings.Mode, calls);
    }

    private static ThreadGrammar PlayThreadTree(string thread, string? parent, string prompt, GrammarSettings settings, ref Rng rng, int maxLines, List<ThreadCall> calls)
    {
        var grammar = ThreadGrammar.Start(prompt, settings);
        var children = 0;
        while (true)
        {
            var completion = PlayThread(grammar, ref rng, maxLines);
            calls.Add(new ThreadCall(thread, parent, prompt, completion));
            if (grammar.State != GrammarState.AwaitingJoin) return grammar;
            var request = SpawnProtocol.FromGrammar(grammar, prompt + completion);
            var results = new List<ChildResult>();
            foreach (var child in request.Children)
            {
                var childGrammar = PlayThreadTree(TraceTree.ChildThread(thread, children++), thread, child.Prompt, settings.ForChild(), ref rng, maxLines, calls);
                string? problem = null;
                results.Add(SpawnProtocol.ResultOf(child.Index, childGrammar, ref problem));
            }
            prompt = SpawnProtocol.JoinPrompt(request, results);
            grammar.AdvanceInserted(prompt[SpawnJoin.LastSpawnStart(request.ParentText)..]);
        }
    }
}
