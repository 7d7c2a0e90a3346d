// ProtocolChecks: invariants of an APR trace tree, checked from the text alone (no solver internals):
// thread ids and parents, execution order, child prompts rebuilt from the parent's Generated Node
// lines, join prompts rebuilt with SpawnJoin.JoinPrompt from the parent's previous call and the
// children's own completions, and the spawn / child counts.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search.Tests;

internal static class ProtocolChecks
{
    public static void Check(CountdownProblem p, AprResult r)
    {
        var calls = r.Trace.Calls;
        Assert.Equal("0", calls[0].Thread);
        Assert.Null(calls[0].Parent);
        Assert.Equal(SpawnJoin.ChildPrompt(p.Target, SearchNode.Root(p.Nums)), calls[0].Prompt);
        var spawns = 0;
        var childThreads = new HashSet<string>();
        var position = 0;
        CheckThread(p, calls, ref position, "0", ref spawns, childThreads);
        Assert.Equal(calls.Count, position);
        Assert.Equal(r.Spawns, spawns);
        Assert.Equal(r.Children, childThreads.Count);
    }

    // Consumes the calls of `thread` (and, between them, its children's calls) starting at `position`.
    private static void CheckThread(CountdownProblem p, IReadOnlyList<ThreadCall> calls, ref int position, string thread,
        ref int spawns, HashSet<string> childThreads)
    {
        var nextChild = 0;
        while (true)
        {
            var call = calls[position++];
            Assert.Equal(thread, call.Thread);
            if (!call.Completion.EndsWith(TraceFormat.EndCallingSubSearches + "\n", StringComparison.Ordinal)) return;
            spawns++;
            var text = call.Text;
            var block = text[SpawnJoin.LastSpawnStart(text)..].Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            var level = thread.Count(c => c == '.') + 1;
            var results = new List<ChildResult>();
            for (var c = 0; c < block.Length; c++)
            {
                var prefix = $"<Start Sub Search {c} at level {level}> Moving to Node #";
                Assert.StartsWith(prefix, block[c]);
                var id = block[c][prefix.Length..];
                var child = calls[position];
                var childThread = TraceTree.ChildThread(thread, nextChild++);
                Assert.Equal(childThread, child.Thread);
                Assert.Equal(thread, child.Parent);
                Assert.True(childThreads.Add(childThread));
                Assert.Equal(ChildPromptFromGenerated(p.Target, text, id), child.Prompt);
                var childStart = position;
                CheckThread(p, calls, ref position, childThread, ref spawns, childThreads);
                var last = calls[position - 1];
                Assert.Equal(childThread, last.Thread);
                var solved = last.Completion.EndsWith(TraceReading.Goal, StringComparison.Ordinal);
                results.Add(solved ? new ChildResult(c, id, true, TraceReading.RecapText(last.Text)) : ChildResult.Failed(c, id));
                Assert.True(position > childStart);
            }
            var resumed = calls[position];
            Assert.Equal(thread, resumed.Thread);
            Assert.Equal(SpawnJoin.JoinPrompt(text, level, results), resumed.Prompt);
        }
    }

    // The prompt a child at `id` must get, rebuilt from the parent's "Generated Node #id: T:[..] Operation: op"
    // line and the Current State line of the node it was generated from.
    private static string ChildPromptFromGenerated(long target, string parentText, string id)
    {
        var lines = parentText.Split('\n');
        var g = Array.FindLastIndex(lines, l => l.StartsWith($"Generated Node #{id}: ", StringComparison.Ordinal));
        Assert.True(g >= 0, $"no Generated Node line for {id}");
        var s = Array.FindLastIndex(lines, g, l => l.StartsWith("Current State: ", StringComparison.Ordinal));
        var generated = lines[g];
        var numsText = generated[(generated.IndexOf('[') + 1)..generated.IndexOf(']')];
        var nums = numsText.Split(", ").Select(long.Parse).ToArray();
        var op = Operation.Parse(generated[(generated.IndexOf(" Operation: ", StringComparison.Ordinal) + 12)..]);
        var state = lines[s];
        var opsText = state[(state.IndexOf("Operations: [", StringComparison.Ordinal) + 13)..^1];
        var ops = opsText.Length == 0 ? new List<Operation>() : opsText.Split(", ").Select(o => Operation.Parse(o.Trim('\''))).ToList();
        ops.Add(op);
        return SpawnJoin.ChildPrompt(target, new SearchNode(id, nums, [.. ops]));
    }
}
