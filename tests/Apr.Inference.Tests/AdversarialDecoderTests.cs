// Model output is untrusted input (issue 16): decoders that write the same hostile text in every call,
// unguided, end every problem with the outcome the protocol defines and never break a guard: a spawn
// flood (200 children per block), a spawn before any node exists, a block naming nodes that do not
// exist, a spawn with no end, a join block written by the model, text that is not the protocol, bytes
// that are not UTF-8. Every call stays within its context, every problem within its token limit.
// (Runaway spawning of well-formed blocks is GuardTests' case: the policies there spawn legally.)
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class AdversarialDecoderTests
{
    private static string Flood(int children, string node) =>
        "<Calling Sub Searches>\n" + string.Concat(Enumerable.Range(0, children).Select(k => $"<Start Sub Search {k} at level 1> Moving to Node #{node}{k}\n")) + "<End Calling Sub Searches>\n";

    public static TheoryData<string, string, ThreadOutcome> Texts => new()
    {
        { "a flood of 200 children (longer than the context)", Flood(200, "0,"), ThreadOutcome.ContextLimit },
        { "a spawn before any node was generated", Flood(3, "0,"), ThreadOutcome.Malformed },
        { "a block naming nodes that do not exist", Flood(3, "7,7,"), ThreadOutcome.Malformed },
        { "a spawn with no end", "<Calling Sub Searches>\n<Start Sub Search 0 at level 1> Moving to Node #0,0\n", ThreadOutcome.Malformed },
        { "a join block the model must not write", "<Sub Searches>\n<Goal Reached in Sub Search 0 at Node #0,0>\n<End Sub Searches>\n", ThreadOutcome.ForbiddenJoinBlock },
        { "not the protocol", "The answer is 42.\nTrust me.\n", ThreadOutcome.Malformed },
        { "bytes that are not UTF-8", "\uFFFD\uFFFD\uD800\n", ThreadOutcome.Malformed },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Hostile_text_ends_every_problem_with_a_defined_outcome_within_every_guard(string what, string text, ThreadOutcome expected)
    {
        var tok = TestData.Tokenizer;
        var guards = new GuardOptions(MaxDepth: 2, MaxChildrenPerSpawn: 8, MaxSpawnsPerProblem: 6, ContextPerThread: 1024, MaxTotalTokensPerProblem: 20_000);
        foreach (var method in new[] { SearchMethod.Apr, SearchMethod.SosPlus })
        {
            var decoder = new TextDecoder(tok.VocabSize, 32, tok.Encode(text), tok.Eos);
            var runtime = new AprRuntime(decoder, tok, new SolveOptions(method, Guided: false, Guards: guards));
            var records = runtime.Solve(TestData.Problems.Take(4).Select((p, i) => new SolveItem(p, (ulong)i)).ToList());
            Assert.Equal(4, records.Count);
            Assert.All(records, r => Assert.Equal(expected, r.Outcome));
            foreach (var r in records)
            {
                Assert.False(r.Correct, $"{what}: {r.Id} counted as solved");
                Assert.True(Enum.IsDefined(r.Outcome), $"{what}: outcome {r.Outcome}");
                Assert.True(r.TotalTokens <= guards.MaxTotalTokensPerProblem, $"{what}: {r.TotalTokens} tokens");
                Assert.All(r.Calls, c => Assert.True(c.PromptTokens + c.Tokens.Count <= guards.ContextPerThread, $"{what}: a call holds {c.PromptTokens + c.Tokens.Count}"));
                Assert.True(r.Spawns <= guards.MaxSpawnsPerProblem, $"{what}: {r.Spawns} spawns");
                Assert.All(r.Calls, c => Assert.True(c.SpawnedChildren <= guards.MaxChildrenPerSpawn, $"{what}: {c.SpawnedChildren} children in one spawn"));
                Assert.All(r.Calls, c => Assert.True(c.Level <= guards.MaxDepth, $"{what}: a thread at level {c.Level}"));
            }
        }
    }
}
