// KnownStateReplay: replays an APR trace tree thread by thread, in tree order, keeping what each thread knew (the
// nodes it named, its parent's knowledge when it was spawned, its children's when they joined: KnownStates), and counts
// the explore lines that chose a known state (of two or more numbers) while the same choice offered one nobody in the
// thread's knowledge had generated. The check shared by the runtime's `--value-revisit` and the solver's `m` trees.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Testing;

public static class KnownStateReplay
{
    /// <summary>
    /// <paramref name="calls"/>: every call of one problem's tree (thread id, prompt, completion) with each thread's
    /// calls in order; a call that spawned ends with its spawn block. Returns (known states chosen while a new one was
    /// legal, explore lines of two or more numbers in all).
    /// </summary>
    public static (int KnownChosen, int Explored) Count(IEnumerable<(string Thread, string Prompt, string Completion)> calls, int maxDepth)
    {
        var byThread = calls.GroupBy(c => c.Thread).ToDictionary(g => g.Key, g => g.ToList());
        int knownChosen = 0, explored = 0;
        KnownStates Run(string thread, KnownStates known)
        {
            int child = 0;
            int level = thread.Count(c => c == '.');
            foreach (var call in byThread[thread])
            {
                var grammar = ThreadGrammar.Start(call.Prompt, new GrammarSettings(SearchMethod.Apr, level, maxDepth));
                foreach (var nums in grammar.NodeStates) known.Add(nums);
                var lines = call.Completion.Split('\n');
                foreach (var line in lines[..^1].Select(l => l + "\n")) // whole lines only: a call cut off by a limit ends inside one
                {
                    if (grammar.State == GrammarState.Open && Explores(line) is { Length: > 1 } chosen)
                    {
                        explored++;
                        var offered = grammar.Options.Select(Explores).OfType<long[]>().Where(s => s.Length > 1);
                        if (known.Contains(chosen) && offered.Any(s => !known.Contains(s))) knownChosen++;
                    }
                    grammar.Advance(line);
                    foreach (var nums in grammar.NodeStates) known.Add(nums);
                }
                int spawned = call.Completion.Split('\n').Count(l => l.StartsWith("<Start Sub Search ", StringComparison.Ordinal));
                var learned = new List<KnownStates>();
                for (int k = 0; k < spawned; k++)
                {
                    var id = TraceTree.ChildThread(thread, child++);
                    if (byThread.ContainsKey(id)) learned.Add(Run(id, known.Copy()));
                }
                foreach (var k in learned) known.UnionWith(k);
            }
            return known;
        }
        Run(NodeIds.Root, new KnownStates());
        return (knownChosen, explored);
    }

    private static long[]? Explores(string line) =>
        TraceLineParser.TryParse(line, out var parsed, out _) && parsed is TraceLine.Exploring e ? e.Resulting : null;
}
