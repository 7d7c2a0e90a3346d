using Apr.Countdown;
using Apr.Data;
using Apr.Protocol;
using Apr.Search;
using Apr.Testing;
using Apr.Tokenization;

namespace Apr.Data.Tests;

public sealed class ReferenceAndMarkingTests
{
    private static string Sample(string name) => Path.Combine(TestPaths.ReferenceSamples, name);

    [Theory]
    [InlineData("sosp.jsonl", SearchMethod.SosPlus)]
    [InlineData("apr.jsonl", SearchMethod.Apr)]
    public void Every_reference_record_reads_validates_and_agrees_with_its_rating(string file, SearchMethod method)
    {
        var records = TraceFile.Read(Sample(file)).ToList();
        Assert.Equal(50, records.Count);
        var ratings = File.ReadLines(Sample(file))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("rating").GetDouble()).ToList();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            Assert.Equal(method, r.Method);
            Assert.True(TraceValidator.Validate(r.Tree).Ok, $"{file} record {i}");
            Assert.Equal(ratings[i] > 0, r.Solved);
            if (r.Solved) Assert.True(Verifier.Verify(r.Target, r.Nums, r.Answer).Ok);
        }
    }

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
    public void The_first_choice_of_a_sosp_trace_marks_operands_and_operator_as_chosen()
    {
        var call = new ThreadCall("0", null, "Current State: 10:[1, 2, 3, 4], Operations: []\n",
            "Exploring Operation: 1+2=3, Resulting Numbers: [3, 4, 3]\nGenerated Node #0,0: 10:[3, 4, 3] Operation: 1+2=3\n");
        var tok = TraceTokenizer.Default;
        var marked = TokenMarking.Mark(SearchMethod.SosPlus, call, tok);
        Assert.Equal(tok.Encode(call.Completion), marked.Tokens);
        var chosen = marked.Tokens.Where((_, i) => marked.Chosen[i]).Select(tok.TokenText).ToArray();
        // The line kind, the first operand, the operator and the second operand; the result, the
        // resulting numbers and the Generated Node line are forced.
        Assert.Equal(["Exploring Operation: ", "1", "+", "2"], chosen);
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

    [Fact]
    public void A_completion_that_leaves_the_grammar_is_a_protocol_error()
    {
        var call = new ThreadCall("0", null, "Current State: 10:[1, 2, 3, 4], Operations: []\n",
            "Exploring Operation: 1+2=4, Resulting Numbers: [3, 4, 4]\n");
        Assert.Throws<ProtocolException>(() => TokenMarking.Mark(SearchMethod.SosPlus, call, TraceTokenizer.Default));
    }
}
