// ProblemRecordReader is the writer's inverse: runtime records (a reference tree replayed by a scripted
// model, and a budget-stopped enumeration) read back to the same JSON with and without texts and tokens;
// with tokens and texts the record itself comes back (its trace tree too; log-probs to the 6 decimals written). Bad fields name the field.
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class ProblemRecordReaderTests
{
    private static readonly GuardOptions Wide = new(MaxChildrenPerSpawn: 64, MaxSpawnsPerProblem: 64, ContextPerThread: 8192);

    private static IEnumerable<ProblemRecord> Records()
    {
        var reference = TestData.ReferenceApr[3];
        var decoder = new ScriptedDecoder(TestData.Tokenizer, reference.Calls.Select(c => (c.Prompt, c.Completion)), 32);
        yield return new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Guards: Wide))
            .Solve(new Apr.Countdown.CountdownProblem(reference.Id, reference.Target, reference.Nums), 7);
        var stopped = new AprRuntime(new NullDecoder(TestData.Tokenizer.VocabSize, 16, 4096), TestData.Tokenizer,
            new SolveOptions(Policy: ChoicePolicy.Enumerate, Budget: 900));
        yield return stopped.Solve(TestData.Problems[0], 3);
    }

    [Fact]
    public void Records_read_back_to_the_same_json_with_or_without_texts_and_tokens()
    {
        foreach (var record in Records())
        {
            foreach (var (texts, tokens) in new[] { (false, false), (true, false), (true, true) })
            {
                var line = ProblemRecordJson.ToJsonLine(record, texts, tokens);
                Assert.Equal(line, ProblemRecordJson.ToJsonLine(ProblemRecordReader.Parse(line), texts, tokens));
            }
            var whole = ProblemRecordReader.Parse(ProblemRecordJson.ToJsonLine(record, texts: true, tokens: true));
            Assert.Equal(record.Answer, whole.Answer);
            Assert.Equal(record.Calls.SelectMany(c => c.Tokens.Select(t => (t.Id, t.Source))), whole.Calls.SelectMany(c => c.Tokens.Select(t => (t.Id, t.Source))));
            Assert.All(record.Calls.SelectMany(c => c.Tokens).Zip(whole.Calls.SelectMany(c => c.Tokens)), p => Assert.Equal(p.First.LogProb, p.Second.LogProb, 1e-6)); // written to 6 decimals
            Assert.Equal(record.ToTraceTree().Calls, whole.ToTraceTree().Calls);
            Assert.Equal(record.Budget, whole.Budget);
        }
    }

    [Fact]
    public void A_record_written_before_calls_carried_children_gets_them_from_the_steps()
    {
        foreach (var record in Records().Append(new AprRuntime(new NullDecoder(TestData.Tokenizer.VocabSize, 16, 4096), TestData.Tokenizer,
                     new SolveOptions(Policy: ChoicePolicy.Enumerate, Guards: Wide)).Solve(TestData.Problems[1], 5)))
        {
            var json = ProblemRecordJson.ToJson(record);
            foreach (var call in json["threads"]!.AsArray()) call!.AsObject().Remove("children");
            var old = ProblemRecordReader.Parse(json.ToJsonString());
            Assert.Equal(record.Calls.Select(c => c.SpawnedChildren), old.Calls.Select(c => c.SpawnedChildren));
            Assert.Equal(record.SequentialTokens, CallCost.Of([.. old.Calls.Select(c => c.Shape)]).SequentialTokens);
        }
        Assert.Contains(Records(), r => r.Spawns > 0);
    }

    [Fact]
    public void The_committed_evaluation_records_get_children_that_give_back_their_stated_costs()
    {
        var dir = Path.Combine(Apr.Testing.TestPaths.RepoRoot, "bench", "results", "eval", "frontier", "records");
        int spawning = 0;
        foreach (var file in new[] { "apr-model-b16000.jsonl", "apr-enumerate-b16000.jsonl", "apr-uniform-b16000.jsonl" })
            foreach (var record in File.ReadLines(Path.Combine(dir, file)).Select(ProblemRecordReader.Parse))
            {
                var cost = CallCost.Of([.. record.Calls.Select(c => c.Shape)]);
                Assert.Equal((record.Id, record.SequentialTokens, record.Children, record.Spawns), (record.Id, cost.SequentialTokens, cost.Children, cost.Spawns));
                if (record.Spawns > 0) spawning++;
            }
        Assert.True(spawning > 100, $"only {spawning} records spawned");
    }

    [Theory]
    [InlineData("\"method\":\"apr\"", "\"method\":\"bfs\"", "'method'")]
    [InlineData("\"total_tokens\":", "\"total_tokens\":\"x\",\"old_total\":", "'total_tokens'")]
    [InlineData("\"format\":1", "\"format\":2", "format 2")]
    public void A_bad_field_is_named(string from, string to, string named)
    {
        var line = ProblemRecordJson.ToJsonLine(Records().First());
        Assert.Contains(from, line);
        var e = Assert.Throws<FormatException>(() => ProblemRecordReader.Parse(line.Replace(from, to)));
        Assert.Contains(named, e.Message);
    }
}
