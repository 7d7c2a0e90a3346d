// ViewJson against a real run (the no-model enumerate policy): marks taken from the run's own tokens spell
// the completion and equal the marks re-derived from the text by the grammar (TokenMarking) after the
// record is written and read back without tokens (where the counts agree); the critical path sums to the sequential tokens; a
// record whose counts disagree with the grammar is shown unmarked, with the reason.
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Inference;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Viewing.Tests;

public sealed class ViewJsonTests
{
    internal static ProblemRecord Solve(SearchMethod method = SearchMethod.Apr)
    {
        using var session = InferenceSession.NoModel(new SessionOptions(1, 16));
        var options = new SolveOptions(method, true, ChoicePolicy.Enumerate, Guards: GuardOptions.Default with { ContextPerThread = session.Context });
        return session.Runtime(options).Solve(MultiSample.Items([new CountdownProblem("view", 27, [22, 26, 31, 53])], 1, 5))[0];
    }

    private static List<JsonObject> Calls(JsonObject view) => [.. view["threads"]!.AsArray().Select(c => c!.AsObject())];

    [Fact]
    public void Marks_from_the_runs_tokens_spell_the_completion_and_equal_the_marks_the_grammar_rederives_from_text()
    {
        var record = Solve();
        var live = ViewJson.Record(record, TraceTokenizer.Default);
        var reread = ViewJson.Record(ProblemRecordReader.Parse(ProblemRecordJson.ToJsonLine(record, texts: true)), TraceTokenizer.Default, "file");
        Assert.True((bool)live["texts_recorded"]!);
        Assert.Equal("file", (string)reread["condition"]!);
        for (int i = 0; i < record.Calls.Count; i++)
        {
            Assert.True(Calls(live)[i]["marks"] is not null, $"call {i}: {Calls(live)[i]["marks_note"]}");
            var marks = Calls(live)[i]["marks"]!.AsArray();
            Assert.Equal(record.Calls[i].Completion, string.Concat(marks.Select(m => (string)m![0]!)));
            Assert.True(marks.Any(m => (bool)m![1]!) == record.Calls[i].SampledTokens > 0);
            // Read back, the grammar re-derives the same marks, except where the runtime's guards forced a line the
            // grammar alone leaves open (the root's spawn here stops at the child limit): those calls say so.
            if (Calls(reread)[i]["marks"] is { } again) Assert.Equal(marks.ToJsonString(), again.ToJsonString());
            else Assert.Contains($"the record says {record.Calls[i].SampledTokens} were sampled", (string)Calls(reread)[i]["marks_note"]!);
        }
        Assert.True(Calls(reread).Count(c => c["marks"] is not null) > record.Calls.Count / 2);
        // Written with its tokens (apr solve --json --show-traces, apr eval --traces), every call reads back marked exactly.
        var exact = ViewJson.Record(ProblemRecordReader.Parse(ProblemRecordJson.ToJsonLine(record, texts: true, tokens: true)), TraceTokenizer.Default);
        Assert.Equal(Calls(live).Select(c => c["marks"]!.ToJsonString()), Calls(exact).Select(c => c["marks"]?.ToJsonString()));
    }

    [Fact]
    public void The_critical_calls_hold_the_sequential_tokens()
    {
        var record = Solve();
        var calls = Calls(ViewJson.Record(record, TraceTokenizer.Default));
        Assert.Equal(record.SequentialTokens, calls.Where(c => (bool)c["critical"]!).Sum(c => (long)(int)c["completion_tokens"]!));
        Assert.Contains(calls, c => !(bool)c["critical"]!);
    }

    [Fact]
    public void A_record_whose_sampled_count_disagrees_with_the_grammar_is_shown_unmarked_with_the_reason()
    {
        var json = ProblemRecordJson.ToJson(Solve(), texts: true);
        var call = json["threads"]![0]!.AsObject();
        call["sampled_tokens"] = (int)call["completion_tokens"]!; // as an unguided run would have it
        call["inserted_tokens"] = 0;
        var view = ViewJson.Record(ProblemRecordReader.Parse(json.ToJsonString()), TraceTokenizer.Default);
        var first = Calls(view)[0];
        Assert.Null(first["marks"]);
        Assert.Contains("the record says", (string)first["marks_note"]!);
    }

    [Fact]
    public void A_record_without_texts_says_so_and_carries_no_marks()
    {
        var view = ViewJson.Record(ProblemRecordReader.Parse(ProblemRecordJson.ToJsonLine(Solve())), TraceTokenizer.Default);
        Assert.False((bool)view["texts_recorded"]!);
        Assert.All(Calls(view), c => Assert.Null(c["marks"]));
    }
}
