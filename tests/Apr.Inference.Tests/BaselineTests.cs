// cons@n / pass@n aggregation worked by hand, sample seeds, conditioning prefixes on the root prompt.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class BaselineTests
{
    private static ProblemRecord Sample(int sample, string[]? answer, bool correct) =>
        new("p1", sample, 27, [22, 26, 31, 53], SearchMethod.SosPlus, answer?.Select(Operation.Parse).ToArray(), correct, null,
            answer is null ? ThreadOutcome.NoSolution : ThreadOutcome.Solved, [], 100, 10, 100, 5.0 + sample, 10, 0, 0);

    [Fact]
    public void Cons_at_n_follows_the_majority_answer_and_pass_at_n_any_correct_one()
    {
        string[] right = ["53-26=27", "31-22=9", "27*9=243"];
        string[] wrong = ["53-31=22", "26-22=4", "22+4=26"];
        var results = MultiSample.Aggregate([Sample(0, wrong, false), Sample(1, right, true), Sample(2, wrong, false), Sample(3, null, false)]);
        var r = Assert.Single(results);
        Assert.Equal(4, r.Samples);
        Assert.True(r.PassAtN);
        Assert.False(r.ConsAtN); // two votes for the wrong answer, one for the right one; no answer does not vote
        Assert.Equal(2, r.MajorityVotes);
        Assert.Equal(wrong, r.MajorityAnswer!.Select(o => o.ToString())); // votes compare operations, not array instances
        Assert.Equal(400, r.TotalTokens);
        Assert.Equal(8.0, r.MaxLatencyMs);

        var tie = MultiSample.Aggregate([Sample(0, right, true), Sample(1, wrong, false)]).Single();
        Assert.True(tie.ConsAtN); // a tie goes to the earliest sample
        Assert.False(MultiSample.Aggregate([Sample(0, null, false)]).Single().PassAtN);
    }

    [Fact]
    public void Samples_get_distinct_seeds_that_do_not_depend_on_the_problem_count()
    {
        var problems = TestData.Problems.Take(3).ToList();
        var items = MultiSample.Items(problems, 4, 9);
        Assert.Equal(12, items.Count);
        Assert.Equal(12, items.Select(i => i.Seed).Distinct().Count());
        Assert.Equal(items.Take(8).Select(i => i.Seed), MultiSample.Items(problems.Take(2).ToList(), 4, 9).Select(i => i.Seed));
    }

    [Fact]
    public void Conditioning_prefixes_open_the_root_prompt_and_stay_in_resumed_prompts()
    {
        var problem = TestData.Problems[1];
        var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 16, 8192);
        var apr = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Policy: ChoicePolicy.Uniform, SubCallBudget: 3, Guards: new GuardOptions(ContextPerThread: 8192)));
        Assert.StartsWith("Sub Call Budget: 3 Moving to Node #0\n", apr.RootPrompt(problem));
        var records = apr.Solve(Enumerable.Range(0, 8).Select(i => new SolveItem(problem, (ulong)i)).ToList());
        Assert.All(records.SelectMany(r => r.Calls).Where(c => c.Thread == "0"), c => Assert.StartsWith("Sub Call Budget: 3 ", c.Prompt));
        Assert.All(records.SelectMany(r => r.Calls).Where(c => c.Thread != "0"), c => Assert.StartsWith("Moving to Node #", c.Prompt));
        Assert.Contains(records, r => r.Calls.Any(c => c.Thread == "0" && c.Call > 0));

        var sosp = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(SearchMethod.SosPlus, Policy: ChoicePolicy.Uniform, TokenBudget: 1024));
        Assert.StartsWith("Token Budget: 1024 Current State: ", sosp.RootPrompt(problem));
        Assert.NotEqual(ThreadOutcome.Malformed, sosp.Solve(problem, 1).Outcome);
    }

    [Fact]
    public void Told_children_repeat_every_conditioning_prefix_of_the_root()
    {
        var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 16, 2048);
        var options = new SolveOptions(Policy: ChoicePolicy.Enumerate, SubCallBudget: 3, TokenBudget: 8, TellChildren: true, Guards: new GuardOptions(ContextPerThread: 2048));
        var r = new AprRuntime(decoder, TestData.Tokenizer, options).Solve(TestData.Problems[1], 0);
        Assert.Contains(r.Calls, c => c.Thread != "0");
        Assert.All(r.Calls, c => Assert.StartsWith("Sub Call Budget: 3 Token Budget: 8 Moving to Node #", c.Prompt));
        Assert.True(TraceValidator.Validate(r.ToTraceTree()).Ok);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Told_children_open_every_prompt_with_the_budget_and_their_trees_validate(bool tellChildren)
    {
        var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 32, 2048);
        var options = new SolveOptions(Policy: ChoicePolicy.Enumerate, TokenBudget: 8, Budget: 40_000, TellChildren: tellChildren, Guards: new GuardOptions(MaxDepth: 2, ContextPerThread: 2048));
        var items = TestData.Problems.Take(4).Select((p, i) => new SolveItem(p, (ulong)i)).ToList();
        // Per item too: a problem's own told budget reaches its children.
        items.Add(items[0] with { TokenBudget = 16 });
        var records = new AprRuntime(decoder, TestData.Tokenizer, options).Solve(items);
        Assert.Contains(records, r => r.Calls.Any(c => c.Level == 2)); // grandchildren are told too
        foreach (var (r, item) in records.Zip(items))
        {
            var told = $"Token Budget: {item.TokenBudget ?? 8} ";
            Assert.All(r.Calls, c => Assert.Equal(c.Thread == "0" || tellChildren, c.Prompt.StartsWith(told + "Moving to Node #", StringComparison.Ordinal)));
            if (r.Outcome is ThreadOutcome.Solved or ThreadOutcome.NoSolution)
                Assert.True(TraceValidator.Validate(r.ToTraceTree(), new ValidationOptions(AprMaxDepth: 2)).Ok, r.Id);
        }
    }
}
