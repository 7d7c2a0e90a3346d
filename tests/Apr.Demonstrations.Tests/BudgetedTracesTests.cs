// Budget-labelled demonstrations: each record fits its budget as the runtime counts tokens, carries the
// budget prefix on the root's prompts only (on every thread's when children are told), verifies, and the bytes do
// not depend on the worker count.
using Apr.Countdown;
using Apr.Data;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Demonstrations.Tests;

public sealed class BudgetedTracesTests
{
    private static readonly IReadOnlyList<CountdownProblem> Problems = new ProblemGenerator(ProblemDistribution.Paper).Generate(40, 17);
    private static readonly BudgetedTraceOptions Options = new() { Budgets = [700, 2000, 8000], ContextPerThread = 1024, Repeats = 1 };

    [Fact]
    public void Every_record_fits_its_budget_and_context_and_verifies()
    {
        var records = BudgetedTraces.Generate(Problems, Options, 3, workers: 1).ToList();
        Assert.Contains(records, r => r.Calls[0].Prompt.StartsWith("Token Budget: 700 ", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Calls.Any(c => c.Completion.Contains("<Calling Sub Searches>")));
        foreach (var r in records)
        {
            int budget = int.Parse(r.Calls[0].Prompt.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            var cost = TraceCost.Of(r.Calls, TraceTokenizer.Default);
            Assert.True(cost.TotalTokens <= budget, $"{r.Id}: {cost.TotalTokens} tokens over {budget}");
            Assert.True(cost.LongestCall <= 1024, $"{r.Id}: a call of {cost.LongestCall} tokens");
            Assert.All(r.Calls, c => Assert.Equal(c.Thread == "0", c.Prompt.StartsWith("Token Budget: ", StringComparison.Ordinal)));
            var p = Problems.Single(q => q.Id == r.Id);
            Assert.True(Verifier.Verify(p.Target, p.Nums, r.Answer.Select(Operation.Parse).ToList()).Ok, r.Id);
        }
        // A larger budget never has fewer records than a smaller one (what fits 700 tokens fits 8,000).
        var counts = Options.Budgets.Select(b => records.Count(r => r.Calls[0].Prompt.StartsWith($"Token Budget: {b} ", StringComparison.Ordinal))).ToList();
        Assert.True(counts[0] <= counts[1] && counts[1] <= counts[2], string.Join(",", counts));
    }

    [Fact]
    public void The_output_does_not_depend_on_the_worker_count()
    {
        static string Text(IEnumerable<TraceRecord> records) => string.Join("\n", records.Select(r => r.Id + string.Concat(r.Calls.Select(c => c.Prompt + c.Completion))));
        Assert.Equal(Text(BudgetedTraces.Generate(Problems, Options, 3, 1)), Text(BudgetedTraces.Generate(Problems, Options, 3, 2)));
        Assert.NotEqual(Text(BudgetedTraces.Generate(Problems, Options, 3, 1)), Text(BudgetedTraces.Generate(Problems, Options, 4, 1)));
    }

    [Fact]
    public void With_a_spawning_threshold_the_first_decision_follows_the_budget()
    {
        var options = Options with { SpawnFrom = 2000 };
        var records = BudgetedTraces.Generate(Problems, options, 3, workers: 1).ToList();
        static bool Spawns(TraceRecord r) => r.Calls.Count > 1;
        var small = records.Where(r => r.Calls[0].Prompt.StartsWith("Token Budget: 700 ", StringComparison.Ordinal)).ToList();
        var large = records.Where(r => !r.Calls[0].Prompt.StartsWith("Token Budget: 700 ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(small);
        Assert.NotEmpty(large);
        Assert.All(small, r => Assert.False(Spawns(r), r.Id));
        Assert.All(large, r => Assert.True(Spawns(r), r.Id));
        Assert.Throws<ArgumentException>(() => (Options with { SpawnFrom = 10 }).Validate());
    }

    [Fact]
    public void A_budget_unit_writes_each_bin_as_one_number_token()
    {
        var options = Options with { Budgets = [1000, 2000, 8000], BudgetUnit = 1000 };
        var records = BudgetedTraces.Generate(Problems, options, 3, workers: 1).ToList();
        var prefixes = records.Select(r => r.Calls[0].Prompt[..r.Calls[0].Prompt.IndexOf("Moving", StringComparison.Ordinal)]).Distinct().Order().ToList();
        Assert.Equal(["Token Budget: 1 ", "Token Budget: 2 ", "Token Budget: 8 "], prefixes);
        var tokenizer = TraceTokenizer.Default;
        Assert.All(prefixes, p => Assert.Equal(tokenizer.CountTokens("Token Budget: ") + 2, tokenizer.CountTokens(p)));
        Assert.Equal(tokenizer.CountTokens("Token Budget: ") + 5, tokenizer.CountTokens("Token Budget: 8000 ")); // four digit tokens without a unit
        Assert.Throws<ArgumentException>(() => (Options with { BudgetUnit = 300 }).Validate());
        Assert.Throws<ArgumentException>(() => (Options with { BudgetUnit = 0 }).Validate());
    }

    [Fact]
    public void Told_children_carry_the_prefix_on_every_prompt_and_still_fit_their_budget()
    {
        var options = Options with { Budgets = [1000, 2000, 8000], BudgetUnit = 1000, TellChildren = true };
        var records = BudgetedTraces.Generate(Problems, options, 3, workers: 1).ToList();
        Assert.Contains(records, r => r.Calls.Any(c => c.Thread != "0"));
        foreach (var r in records)
        {
            var prefix = r.Calls[0].Prompt[..r.Calls[0].Prompt.IndexOf("Moving", StringComparison.Ordinal)];
            Assert.All(r.Calls, c => Assert.StartsWith(prefix + "Moving to Node #", c.Prompt, StringComparison.Ordinal));
            int budget = 1000 * int.Parse(prefix.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            var cost = TraceCost.Of(r.Calls, TraceTokenizer.Default); // every child's prefix counted
            Assert.True(cost.TotalTokens <= budget, $"{r.Id}: {cost.TotalTokens} tokens over {budget}");
            Assert.True(cost.LongestCall <= 1024, $"{r.Id}: a call of {cost.LongestCall} tokens");
            Assert.True(TraceValidator.Validate(r.Tree).Ok, $"{r.Id}: {TraceValidator.Validate(r.Tree).Reason}");
        }
        // The same searches as without: only the children's prompts differ.
        var plain = BudgetedTraces.Generate(Problems, options with { TellChildren = false }, 3, workers: 1).ToList();
        var told = records.ToDictionary(r => (r.Id, r.Calls[0].Prompt));
        int same = plain.Count(r => told.TryGetValue((r.Id, r.Calls[0].Prompt), out var t) && t.Calls.Select(c => c.Completion).SequenceEqual(r.Calls.Select(c => c.Completion)));
        Assert.True(same >= plain.Count * 9 / 10, $"{same} of {plain.Count} records kept their search");
    }

    [Fact]
    public void At_depth_two_nested_trees_compete_for_the_budgets_and_every_record_says_its_depth()
    {
        var five = new ProblemGenerator(ProblemDistribution.Paper with { Count = 5 }).Generate(10, 23);
        var options = new BudgetedTraceOptions { Budgets = [4000, 32000], ContextPerThread = 2048, Repeats = 1, Depth = 2 };
        var records = BudgetedTraces.Generate(five, options, 5, workers: 1).ToList();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(2, r.Depth));
        Assert.Contains(records, r => r.Calls.Any(c => c.Thread.Count(ch => ch == '.') == 2)); // a grandchild won some budget
        foreach (var r in records)
        {
            var (result, failure) = RecordConsistency.Validate(r);
            Assert.True(failure is null, $"{r.Id}: {failure}");
            int budget = int.Parse(r.Calls[0].Prompt.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(TraceCost.Of(r.Calls, TraceTokenizer.Default).TotalTokens <= budget, r.Id);
        }
        // Depth 1 keeps the flat variants only (and the same bytes as before the option existed).
        Assert.DoesNotContain(BudgetedTraces.Generate(five, options with { Depth = 1 }, 5, workers: 1), r => r.Depth != 1 || r.Calls.Any(c => c.Thread.Count(ch => ch == '.') > 1));
        Assert.Throws<ArgumentException>(() => (options with { Depth = 0 }).Validate());
    }

    [Fact]
    public void Tree_variants_spawn_at_most_their_beam_and_hindsight_makes_more_problems_fit_a_small_budget()
    {
        var five = new ProblemGenerator(ProblemDistribution.Paper with { Count = 5 }).Generate(30, 29);
        var trees = new[] { new Apr.Search.SymbolicTree(2, 1), new Apr.Search.SymbolicTree(2, 2, 2) };
        var options = new BudgetedTraceOptions { Budgets = [2000, 8000], ContextPerThread = 2048, Repeats = 1, Depth = 2, Variants = BudgetedTraceOptions.TreeVariants(trees, 1) };
        Assert.Equal(["serial-narrow", "serial-wide", "tree-b2c1", "tree-b2c2d2"], options.Variants.Select(v => v.Name));
        var plain = BudgetedTraces.Generate(five, options, 5, workers: 1).ToList();
        var hindsight = BudgetedTraces.Generate(five, options with { Hindsight = 1 }, 5, workers: 1).ToList();
        foreach (var r in plain.Concat(hindsight))
        {
            var (_, failure) = RecordConsistency.Validate(r);
            Assert.True(failure is null, $"{r.Id}: {failure}");
            int budget = int.Parse(r.Calls[0].Prompt.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(TraceCost.Of(r.Calls, TraceTokenizer.Default).TotalTokens <= budget, r.Id);
            Assert.All(r.Calls, c => Assert.True(CountOf(c.Completion, "<Start Sub Search ") <= 2, $"{r.Id} {c.Thread}: more children than the beam"));
        }
        static int At(List<TraceRecord> rs, int b) => rs.Count(r => r.Calls[0].Prompt.StartsWith($"Token Budget: {b} ", StringComparison.Ordinal));
        // Choosing a successor that can still reach the target at every expansion solves with a cheap tree nearly always.
        Assert.True(At(hindsight, 2000) > At(plain, 2000), $"{At(hindsight, 2000)} vs {At(plain, 2000)} records at 2,000 tokens");
        Assert.True(At(hindsight, 2000) >= 27, $"{At(hindsight, 2000)} of 30");
        var e = Assert.Throws<ArgumentException>(() => (options with { Depth = 1 }).Validate());
        Assert.Contains("tree-b2c2d2 nests 2 levels, deeper than the records' depth 1", e.Message);
        Assert.Throws<ArgumentException>(() => (options with { Hindsight = 1.5 }).Validate());
    }

    [Fact]
    public void A_ranker_orders_every_variant_and_the_bytes_stay_fixed_whatever_the_workers()
    {
        var five = new ProblemGenerator(ProblemDistribution.Paper with { Count = 5 }).Generate(30, 29);
        var options = new BudgetedTraceOptions { Budgets = [2000, 8000], ContextPerThread = 2048, Repeats = 1, Variants = BudgetedTraceOptions.TreeVariants([new Apr.Search.SymbolicTree(2, 1)], 1) };
        static string Text(IEnumerable<TraceRecord> records) => string.Join("\n", records.Select(r => r.Id + string.Concat(r.Calls.Select(c => c.Prompt + c.Completion))));
        var plain = BudgetedTraces.Generate(five, options, 5, workers: 1).ToList();
        var ranked = BudgetedTraces.Generate(five, options with { Scorer = new Apr.Search.ExactRanking(4) }, 5, workers: 1).ToList();
        static int At(List<TraceRecord> rs, int b) => rs.Count(r => r.Calls[0].Prompt.StartsWith($"Token Budget: {b} ", StringComparison.Ordinal));
        // An exact check of every state below 5 numbers ranks as well as any ranker can: the tree 2:1 then fits 2,000 tokens nearly always.
        Assert.True(At(ranked, 2000) > At(plain, 2000), $"{At(ranked, 2000)} vs {At(plain, 2000)} records at 2,000 tokens");
        Assert.Equal(Text(ranked), Text(BudgetedTraces.Generate(five, options with { Scorer = new Apr.Search.ExactRanking(4) }, 5, workers: 2)));
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
