using Apr.Countdown;
using Apr.Data;
using Apr.Protocol;
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

    [Theory]
    [InlineData("sosp.jsonl")]
    [InlineData("apr.jsonl")]
    public void Reference_records_round_trip_through_our_jsonl(string file)
    {
        foreach (var record in TraceFile.Read(Sample(file)))
        {
            var line = TraceFile.ToJsonLine(record);
            var back = TraceFile.ParseLine(line, "t:1", "line-1");
            Assert.Equal(line, TraceFile.ToJsonLine(back));
            Assert.Equal(record.Calls, back.Calls);
        }
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
    public void A_completion_that_leaves_the_grammar_is_a_protocol_error()
    {
        var call = new ThreadCall("0", null, "Current State: 10:[1, 2, 3, 4], Operations: []\n",
            "Exploring Operation: 1+2=4, Resulting Numbers: [3, 4, 4]\n");
        Assert.Throws<ProtocolException>(() => TokenMarking.Mark(SearchMethod.SosPlus, call, TraceTokenizer.Default));
    }
}
