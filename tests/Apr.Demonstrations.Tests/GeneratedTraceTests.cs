// Generated demonstrations against the data formats: a record round-trips through its JSON line, and
// token marking covers every generated call (prompts never chosen; a minority of completion tokens chosen).
using Apr.Protocol;
using Apr.Countdown;
using Apr.Data;
using Apr.Tokenization;

namespace Apr.Demonstrations.Tests;

public sealed class GeneratedTraceTests
{
    [Fact]
    public void Our_records_round_trip_through_jsonl()
    {
        var problem = new CountdownProblem("x", 24, [2, 3, 4, 1]);
        var record = TraceGeneration.Generate([problem], new TraceGenerationOptions(), 3, 1).Single();
        var back = TraceFile.ParseLine(TraceFile.ToJsonLine(record), "t:1", "line-1");
        Assert.Equal(TraceFile.ToJsonLine(record), TraceFile.ToJsonLine(back));
        Assert.Equal(record.Calls, back.Calls);
    }

    [Fact]
    public void Marking_covers_every_generated_call_and_prompts_are_never_chosen()
    {
        var problems = new ProblemGenerator(ProblemDistribution.Paper).Generate(60, 11);
        var tok = TraceTokenizer.Default;
        foreach (var method in new[] { SearchMethod.Apr, SearchMethod.SosPlus })
        {
            long chosen = 0, total = 0;
            foreach (var record in TraceGeneration.Generate(problems, new TraceGenerationOptions { Method = method }, 1, 2))
            {
                foreach (var call in record.Calls)
                {
                    var m = TokenMarking.Mark(record.Method, call, tok);
                    Assert.Equal(tok.Encode(call.Completion), m.Tokens);
                    chosen += m.ChosenCount;
                    total += m.Tokens.Length;
                }
            }
            // Guided decoding asks the model for a minority of the tokens, but for some.
            Assert.InRange((double)chosen / total, 0.03, 0.4);
        }
    }
}
