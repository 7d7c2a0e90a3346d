using Apr.Core;
using Apr.Countdown;

namespace Apr.Protocol.Tests;

/// <summary>The fast character marking against a slow, obviously correct one (per character, all options).</summary>
public sealed class GrammarReplayTests
{
    private static bool[] SlowMarks(string prompt, string completion, GrammarSettings settings)
    {
        var g = ThreadGrammar.Start(prompt, settings);
        var forced = new List<bool>();
        foreach (var line in completion.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n"))
        {
            var options = g.Options;
            for (var p = 0; p < line.Length; p++)
            {
                var consistent = options.Where(o => o.Length > p && string.CompareOrdinal(o, 0, line, 0, p) == 0);
                forced.Add(consistent.Select(o => o[p]).Distinct().Count() == 1);
            }
            g.Advance(line);
        }
        return [.. forced];
    }

    [Fact]
    public void Fast_marks_equal_slow_marks_on_random_walks_and_samples()
    {
        var cases = new List<(string Prompt, string Completion, GrammarSettings Settings)>();
        for (var i = 0; i < 40; i++)
        {
            var rng = Rng.ForItem(11, (ulong)i);
            var problem = RandomWalkTests.RandomProblem(ref rng, i);
            var settings = i % 2 == 0 ? GrammarSettings.SosPlus : GrammarSettings.AprRoot;
            foreach (var call in RandomPolicy.PlayTree(problem, settings, ref rng).Calls)
                cases.Add((call.Prompt, call.Completion, settings with { Level = call.Thread.Count(c => c == '.') }));
        }
        foreach (var s in ReferenceSamples.Apr.Take(5))
            foreach (var call in s.Tree.Calls)
                cases.Add((call.Prompt, call.Completion, GrammarSettings.AprRoot with { Level = call.Thread.Count(c => c == '.') }));
        foreach (var s in ReferenceSamples.Sos.Take(10))
            cases.Add((s.Tree.Calls[0].Prompt, s.Tree.Calls[0].Completion, GrammarSettings.SosPlus));

        foreach (var (prompt, completion, settings) in cases)
        {
            var fast = GrammarReplay.Mark(prompt, completion, settings);
            Assert.True(fast.Ok, fast.Reason);
            var slow = SlowMarks(prompt, completion, settings);
            Assert.Equal(slow.Length, fast.Forced.Length);
            var diff = Enumerable.Range(0, slow.Length).FirstOrDefault(i => slow[i] != fast.Forced[i], -1);
            Assert.True(diff < 0, $"first difference at character {diff} of '{completion}'");
        }
    }
}
