using Apr.Countdown;

namespace Apr.Protocol.Tests;

public sealed class ReferenceSampleTests
{
    [Fact]
    public void There_are_fifty_samples_of_each_kind()
    {
        Assert.Equal(50, ReferenceSamples.Sos.Count);
        Assert.Equal(50, ReferenceSamples.Apr.Count);
    }

    [Fact]
    public void Every_sosp_trace_validates_and_solved_ones_verify()
    {
        foreach (var s in ReferenceSamples.Sos)
        {
            var r = TraceValidator.Validate(s.Tree);
            Assert.True(r.Ok, $"sosp sample {s.Index}: {r}");
            Assert.Equal(s.Target, r.Target);
            Assert.Equal(s.Nums, r.Nums);
            Assert.Equal(s.Solved, r.Answer is not null);
            Assert.Equal(s.Solved, r.AnswerVerifies);
        }
    }

    [Fact]
    public void Every_apr_tree_validates_and_solved_ones_verify()
    {
        foreach (var s in ReferenceSamples.Apr)
        {
            var r = TraceValidator.Validate(s.Tree);
            Assert.True(r.Ok, $"apr sample {s.Index}: {r}");
            Assert.Equal(s.Solved, r.Answer is not null);
            Assert.Equal(s.Solved, r.AnswerVerifies);
        }
    }

    [Fact]
    public void Every_call_replays_inside_the_grammar_character_by_character()
    {
        var calls = 0;
        foreach (var s in ReferenceSamples.Sos)
        {
            var call = s.Tree.Calls[0];
            var marks = GrammarReplay.Mark(call.Prompt, call.Completion, GrammarSettings.SosPlus);
            Assert.True(marks.Ok, $"sosp {s.Index}: at {marks.LeftAt}: {marks.Reason}");
            Assert.Equal(GrammarState.Finished, marks.EndState);
            Assert.InRange(marks.ChosenCount, 1, call.Completion.Length / 4);
            calls++;
        }
        foreach (var s in ReferenceSamples.Apr)
        {
            foreach (var call in s.Tree.Calls)
            {
                var level = call.Thread.Count(c => c == '.');
                var marks = GrammarReplay.Mark(call.Prompt, call.Completion, GrammarSettings.AprRoot with { Level = level });
                Assert.True(marks.Ok, $"apr {s.Index} thread {call.Thread}: at {marks.LeftAt}: {marks.Reason}");
                Assert.NotEqual(GrammarState.Open, marks.EndState);
                calls++;
            }
        }
        Assert.True(calls > 300, $"only {calls} calls replayed");
    }
}
