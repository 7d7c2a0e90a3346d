// Budgets and limits held as tokens are added (whoever writes them), and the no-model line policies:
// no call holds more than its context, no problem more than its budget; a policy that does not read its
// budget, capped at B, solves exactly what its uncapped run solves within B tokens; the enumerator is
// deterministic and never gives up while a line is left; random never gives up early.
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;
using Apr.Testing;

namespace Apr.Inference.Tests;

public sealed class BudgetTests
{
    private static IReadOnlyList<ProblemRecord> Run(ChoicePolicy policy, SearchMethod method, int context, long? budget, int count = 20, int first = 0) =>
        new AprRuntime(new NullDecoder(TestData.Tokenizer.VocabSize, 44, 8192), TestData.Tokenizer,
                new SolveOptions(method, Policy: policy, Guards: new GuardOptions(ContextPerThread: context), Budget: budget))
            .Solve(TestData.Problems.Skip(first).Take(count).Select((p, i) => new SolveItem(p, Rng.Mix(5, (ulong)i))).ToList());

    [Theory]
    [InlineData(ChoicePolicy.Enumerate, SearchMethod.Apr)]
    [InlineData(ChoicePolicy.Random, SearchMethod.Apr)]
    [InlineData(ChoicePolicy.Enumerate, SearchMethod.SosPlus)]
    [InlineData(ChoicePolicy.Uniform, SearchMethod.SosPlus)]
    public void No_call_ever_holds_more_than_its_context_not_even_forced_text(ChoicePolicy policy, SearchMethod method)
    {
        // At 300 tokens a thread often runs out in the middle of a forced span (a recap, a node line, a join).
        foreach (var record in Run(policy, method, 300, null))
            foreach (var c in record.Calls)
                Assert.True(c.PromptTokens + c.Tokens.Count <= 300 || (c.Tokens.Count == 0 && c.Outcome == ThreadOutcome.ContextLimit),
                    $"{record.Id} thread {c.Thread} call {c.Call}: {c.PromptTokens} + {c.Tokens.Count} tokens ({c.Outcome})");
    }

    [Slow]
    [Theory]
    [InlineData(ChoicePolicy.Enumerate, SearchMethod.Apr)]
    [InlineData(ChoicePolicy.Random, SearchMethod.Apr)]
    [InlineData(ChoicePolicy.Enumerate, SearchMethod.SosPlus)]
    public void A_capped_run_solves_exactly_what_the_uncapped_run_solves_within_the_cap(ChoicePolicy policy, SearchMethod method)
    {
        var free = Run(policy, method, 2048, 100_000);
        foreach (var cap in new[] { 700, 2000, 6000 })
        {
            var capped = Run(policy, method, 2048, cap);
            for (int i = 0; i < free.Count; i++)
            {
                Assert.True(capped[i].TotalTokens <= cap, $"{capped[i].Id}: {capped[i].TotalTokens} tokens over the budget {cap}");
                Assert.Equal(cap, capped[i].Budget);
                Assert.Equal(free[i].Correct && free[i].TotalTokens <= cap, capped[i].Correct);
                if (!capped[i].Correct && free[i].TotalTokens > cap) Assert.Equal(ThreadOutcome.TokenLimit, capped[i].Outcome);
            }
        }
        Assert.Contains(free, r => r.Correct && r.TotalTokens > 700); // the caps cut something
    }

    [Fact]
    public void A_budget_below_the_prompt_stops_the_problem_before_it_starts()
    {
        var r = Run(ChoicePolicy.Enumerate, SearchMethod.Apr, 2048, 8, count: 1).Single(); // the root prompt alone holds more than 8 tokens
        Assert.Equal(ThreadOutcome.TokenLimit, r.Outcome);
        Assert.False(r.Correct);
        Assert.Equal(0, r.TotalTokens);
    }

    [Fact]
    public void The_enumerator_is_deterministic_and_solves_every_problem_with_room()
    {
        var a = Run(ChoicePolicy.Enumerate, SearchMethod.Apr, 2048, null, count: 12);
        var b = new AprRuntime(new NullDecoder(TestData.Tokenizer.VocabSize, 11, 8192), TestData.Tokenizer,
                new SolveOptions(Policy: ChoicePolicy.Enumerate, Guards: new GuardOptions(ContextPerThread: 2048)))
            .Solve(TestData.Problems.Take(12).Select((p, i) => new SolveItem(p, 1000 + (ulong)i)).ToList()); // other seeds, other batching
        Assert.All(a, r => Assert.True(r.Correct, $"{r.Id}: {r.Outcome}"));
        Assert.Equal(a.Select(r => string.Concat(r.Calls.Select(c => c.Completion))), b.Select(r => string.Concat(r.Calls.Select(c => c.Completion))));
        Assert.All(a, r => Assert.True(r.Spawns > 0));
    }

    [Fact]
    public void Random_gives_up_only_when_nothing_else_is_left()
    {
        foreach (var r in Run(ChoicePolicy.Random, SearchMethod.SosPlus, 8192, null))
        {
            if (r.Outcome != ThreadOutcome.NoSolution) continue;
            // SoS+ gives up at the root only: every successor of every generated node was explored first.
            var replay = ThreadGrammar.Start(r.Calls[0].Prompt, GrammarSettings.SosPlus);
            var completion = r.Calls[0].Completion;
            var lines = completion.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines[..^1]) replay.Advance(line + "\n");
            Assert.Equal([TraceFormat.NoSolutionFound + "\n"], replay.Options);
        }
    }
}
