// Input fuzzing (issue 16) of ProblemRecordReader with CsCheck: a damaged record line (a replayed reference
// tree's record, with texts and tokens) reads or fails with a FormatException or JsonException (what
// `apr eval --resume` catches to run a condition again), never another exception.
using System.Text.Json;
using Apr.Testing;
using CsCheck;

namespace Apr.Inference.Tests;

public sealed class RecordFuzzTests
{
    [Fact]
    public void A_damaged_record_reads_or_fails_with_a_format_error()
    {
        var reference = TestData.ReferenceApr[3];
        var decoder = new ScriptedDecoder(TestData.Tokenizer, reference.Calls.Select(c => (c.Prompt, c.Completion)), 32);
        var record = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Guards: new GuardOptions(MaxChildrenPerSpawn: 64, MaxSpawnsPerProblem: 64, ContextPerThread: 8192)))
            .Solve(new Apr.Countdown.CountdownProblem(reference.Id, reference.Target, reference.Nums), 7);
        Mutations.Of([ProblemRecordJson.ToJsonLine(record), ProblemRecordJson.ToJsonLine(record, texts: true, tokens: true)]).Fuzz(line =>
        {
            try { ProblemRecordReader.Parse(line); }
            catch (Exception e) when (e is FormatException or JsonException) { Assert.False(string.IsNullOrEmpty(e.Message)); }
        }, iter: Math.Max(1, Mutations.Iterations / 4));
    }
}
