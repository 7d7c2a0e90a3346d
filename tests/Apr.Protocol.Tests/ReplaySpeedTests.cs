using System.Diagnostics;
using Xunit.Abstractions;

namespace Apr.Protocol.Tests;

/// <summary>Prints replay speed on the reference samples (no timed assertion; run with a detailed logger to see it).</summary>
public sealed class ReplaySpeedTests(ITestOutputHelper output)
{
    [Fact]
    public void Replay_speed_on_the_reference_samples()
    {
        var trees = ReferenceSamples.Sos.Concat(ReferenceSamples.Apr).Select(s => s.Tree).ToList();
        var lines = trees.Sum(t => t.Calls.Sum(c => c.Completion.Count(ch => ch == '\n')));
        var calls = trees.Sum(t => t.Calls.Count);
        foreach (var t in trees) Assert.True(TraceValidator.Validate(t).Ok); // warm up

        const int rounds = 5;
        var sw = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
            foreach (var t in trees) TraceValidator.Validate(t);
        var validate = sw.Elapsed.TotalSeconds;

        sw.Restart();
        for (var r = 0; r < rounds; r++)
            foreach (var s in ReferenceSamples.Sos)
                GrammarReplay.Mark(s.Tree.Calls[0].Prompt, s.Tree.Calls[0].Completion, GrammarSettings.SosPlus);
        var markSos = sw.Elapsed.TotalSeconds;
        sw.Restart();
        for (var r = 0; r < rounds; r++)
            foreach (var s in ReferenceSamples.Apr)
                foreach (var c in s.Tree.Calls)
                    GrammarReplay.Mark(c.Prompt, c.Completion, GrammarSettings.AprRoot with { Level = c.Thread.Count(ch => ch == '.') });
        var markApr = sw.Elapsed.TotalSeconds;

        output.WriteLine($"{trees.Count} trees, {calls} calls, {lines} completion lines");
        output.WriteLine($"validate: {rounds * trees.Count / validate:F0} trees/s, {rounds * lines / validate:F0} lines/s");
        output.WriteLine($"mark (SoS+ 50 traces + APR {calls - 50} calls): {rounds * calls / (markSos + markApr):F0} calls/s, {rounds * lines / (markSos + markApr):F0} lines/s");
        output.WriteLine($"mark SoS+ only: {rounds * 50 / markSos:F0} traces/s");
    }
}
