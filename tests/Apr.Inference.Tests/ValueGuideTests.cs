// ValueGuide: a learned value weighs a guided model's choices among states (which operation, node or child start),
// and leaves every other choice to the model. A model with no preference (all logits zero) follows the value.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class ValueGuideTests
{
    private static readonly CountdownProblem Problem = new("v1", 27, [22, 26, 31, 53]);
    private static readonly long[] Nums = [22, 26, 31, 53];

    /// <summary>Rates one state (as a multiset) high and every other low; counts the states it was asked about.</summary>
    private sealed class OneStateScorer(long[] favourite, long expectedTarget = 27) : ISuccessorScorer
    {
        public int Asked { get; private set; }

        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            Assert.Equal(expectedTarget, target);
            Assert.All(states, s => Assert.True(s.Length >= 2));
            for (int i = 0; i < states.Count; i++)
            {
                Asked++;
                scores[i] = states[i].Order().SequenceEqual(favourite.Order()) ? 0.9 : 0.1;
            }
        }
    }

    private static ProblemRecord Solve(ValueGuide? value, int depth = 1)
    {
        using var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 16, 2048);
        var runtime = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Value: value, Budget: 1500, Guards: GuardOptions.Default with { MaxDepth = depth }));
        return runtime.Solve(Problem, 1);
    }

    private static List<string> RootLines(ProblemRecord record) =>
        [.. record.Calls.Where(c => c.Thread == NodeIds.Root).SelectMany(c => c.Completion.Split('\n'))];

    private static string FirstExplored(ProblemRecord record) => RootLines(record).First(l => l.StartsWith("Exploring Operation: ", StringComparison.Ordinal));

    [Fact]
    public void A_model_with_no_preference_explores_and_starts_from_the_state_the_value_rates_highest()
    {
        var plain = Solve(null);
        var first = FirstExplored(plain);
        // The favourite: a successor the unguided model does not explore first.
        var favourite = Successor.All(Nums).Select(s => s.Numbers).First(n => !first.EndsWith($"[{string.Join(", ", n)}]", StringComparison.Ordinal));
        var scorer = new OneStateScorer(favourite);
        var guided = Solve(new ValueGuide(scorer, 1.0));
        Assert.EndsWith($"[{string.Join(", ", favourite)}]", FirstExplored(guided));
        Assert.True(scorer.Asked > 0);

        // Its first move or child start names the node holding that state (the first generated: #0,0).
        var lines = RootLines(guided);
        var start = lines.First(l => l.StartsWith("Moving to Node #", StringComparison.Ordinal) || l.StartsWith("<Start Sub Search 0 ", StringComparison.Ordinal));
        Assert.EndsWith("Moving to Node #0,0", start);
    }

    [Fact]
    public void An_operation_that_leaves_one_number_is_rated_exactly_so_the_hit_is_tried_first()
    {
        var two = new CountdownProblem("v2", 6, [3, 9]);
        ProblemRecord Run(ValueGuide? value)
        {
            using var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 4, 2048);
            return new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Value: value, Budget: 600)).Solve(two, 1);
        }
        var scorer = new OneStateScorer([1, 2]);
        var plain = Run(null);
        var guided = Run(new ValueGuide(scorer, 1.0));
        Assert.DoesNotContain("Resulting Numbers: [6]", FirstExplored(plain)); // without the value the hit is not first
        Assert.EndsWith("9-3=6, Resulting Numbers: [6]", FirstExplored(guided));
        Assert.True(guided.Correct);
        Assert.Equal(0, scorer.Asked); // one-number results are rated without the scorer
    }

    [Fact]
    public void With_exact_up_to_2_two_number_states_are_checked_exactly_and_the_scorer_is_not_asked()
    {
        // 24 from [2, 10, 2]: 2+10=12 leaves [2, 12] (2*12 = 24); the scorer prefers [2, 8] (10-2), which cannot make 24.
        var three = new CountdownProblem("v3", 24, [2, 10, 2]);
        ProblemRecord Run(ValueGuide value)
        {
            using var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 8, 2048);
            return new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Value: value, Budget: 1200)).Solve(three, 1);
        }
        var wrong = new OneStateScorer([2, 8], 24);
        Assert.EndsWith("Resulting Numbers: [2, 8]", FirstExplored(Run(new ValueGuide(wrong, 4.0))));
        var exact = new OneStateScorer([2, 8], 24);
        var checkedRun = Run(new ValueGuide(exact, 4.0, exactUpTo: 2));
        var first = FirstExplored(checkedRun);
        var left = first[(first.IndexOf('[') + 1)..^1].Split(", ").Select(long.Parse).ToArray();
        Assert.True(ExhaustiveSolver.IsSolvable(24, left), first);
        Assert.True(checkedRun.Correct);
        Assert.Equal(0, exact.Asked);
        foreach (var bad in new[] { 0, 3, -1 })
            Assert.Throws<ArgumentOutOfRangeException>(() => new ValueGuide(exact, 1.0, bad));
    }

    [Fact]
    public void Lines_without_a_state_get_no_value_and_the_model_keeps_those_choices()
    {
        var grammar = ThreadGrammar.Start("Moving to Node #0\nCurrent State: 27:[22, 26, 31, 53], Operations: []\n", new GrammarSettings(SearchMethod.Apr));
        Assert.Equal<long>([26L, 53, 53], ValueGuide.StateOf(grammar, "Exploring Operation: 22+31=53, Resulting Numbers: [26, 53, 53]\n").State!);
        Assert.Equal<long>([27L], ValueGuide.StateOf(grammar, "Exploring Operation: 22+5=27, Resulting Numbers: [27]\n").State!);
        Assert.Null(ValueGuide.StateOf(grammar, "No solution found.\n").State);
        Assert.Null(ValueGuide.StateOf(grammar, "<Calling Sub Searches>\n").State);
        Assert.Null(ValueGuide.StateOf(grammar, "<End Calling Sub Searches>\n").State);
        Assert.Null(ValueGuide.StateOf(grammar, "Moving to Node #0,7\n").State); // never generated
        grammar.Advance("Exploring Operation: 22+31=53, Resulting Numbers: [26, 53, 53]\n");
        grammar.Advance("Generated Node #0,0: 27:[26, 53, 53] Operation: 22+31=53\n");
        Assert.Equal<long>([26L, 53, 53], ValueGuide.StateOf(grammar, "Moving to Node #0,0\n").State!);
        Assert.Equal<long>([26L, 53, 53], ValueGuide.StateOf(grammar, "<Start Sub Search 0 at level 1> Moving to Node #0,0\n").State!);
    }

    [Fact]
    public void A_guide_needs_a_positive_finite_weight_and_the_model_policy_under_guided_decoding()
    {
        var scorer = new OneStateScorer([1, 2]);
        foreach (var bad in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
            Assert.Throws<ArgumentOutOfRangeException>(() => new ValueGuide(scorer, bad));
        var guide = new ValueGuide(scorer, 2.0);
        Assert.Throws<ArgumentException>(() => new SolveOptions(Policy: ChoicePolicy.Enumerate, Value: guide).Validate());
        Assert.Throws<ArgumentException>(() => new SolveOptions(Guided: false, Value: guide).Validate());
        new SolveOptions(Value: guide).Validate();
    }

    /// <summary>Rates every state alike and counts the states it was asked about.</summary>
    private sealed class CountingScorer : ISuccessorScorer, IDisposable
    {
        public int Asked { get; private set; }
        public bool Disposed { get; private set; }

        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            Asked += states.Count;
            scores.Fill(0.5);
        }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void A_value_by_size_rates_every_thread_of_a_problem_of_that_size_and_no_other()
    {
        var five = new CountdownProblem("v5", 100, [2, 3, 5, 7, 11]);
        var (common, forFive) = (new CountingScorer(), new CountingScorer());
        var guide = new ValueGuide(common, 2.0, exactUpTo: 2) { BySize = new Dictionary<int, ValueGuide> { [5] = new ValueGuide(forFive, 2.0, exactUpTo: 2) } };
        Assert.Same(guide.BySize[5], guide.For(5));
        Assert.Same(guide, guide.For(4));
        ProblemRecord Run(CountdownProblem problem)
        {
            using var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 16, 4096);
            return new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Sampling: new SamplingOptions(1.0), Value: guide, Budget: 6000)).Solve(problem, 1);
        }
        var record = Run(five);
        Assert.True(record.Calls.Any(c => c.Thread != NodeIds.Root), $"the 5-number problem spawned no child ({record.Outcome}): the test would not reach a child thread");
        Assert.True(forFive.Asked > 0);
        Assert.Equal(0, common.Asked); // children of a 5-number problem hold fewer numbers, and still use the 5-number value
        int fiveAsked = forFive.Asked;
        Run(Problem);
        Assert.True(common.Asked > 0);
        Assert.Equal(fiveAsked, forFive.Asked);

        // The guide owns the size's guide: disposing it disposes both scorers.
        guide.Dispose();
        Assert.True(common.Disposed && forFive.Disposed);
        // A guide by size shares the weight and exact check of the guide it serves.
        Assert.Throws<ArgumentException>(() => new ValueGuide(common, 2.0) { BySize = new Dictionary<int, ValueGuide> { [5] = new ValueGuide(forFive, 4.0) } });
        Assert.Throws<ArgumentException>(() => new ValueGuide(common, 2.0) { BySize = new Dictionary<int, ValueGuide> { [5] = new ValueGuide(forFive, 2.0, exactUpTo: 2) } });
    }

    [Fact]
    public void The_same_seed_and_guide_give_the_same_record()
    {
        var favourite = Successor.All(Nums)[^1].Numbers;
        var a = Solve(new ValueGuide(new OneStateScorer(favourite), 3.0), depth: 2);
        var b = Solve(new ValueGuide(new OneStateScorer(favourite), 3.0), depth: 2);
        Assert.Equal(a.Calls.Select(c => c.Completion), b.Calls.Select(c => c.Completion));
        Assert.True(a.TotalTokens <= 1500);
    }

    /// <summary>Rates states by a fixed hash of their sorted numbers (0.1..0.9): a strong, arbitrary order that sends threads into the same states.</summary>
    private sealed class HashScorer : ISuccessorScorer
    {
        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            for (int i = 0; i < states.Count; i++)
                scores[i] = 0.1 + 0.8 * (KnownStates.Key(states[i]).Aggregate(17u, (h, c) => h * 31 + c) % 1000) / 999.0;
        }
    }

    private static (int KnownChosen, int Explored) Revisits(ProblemRecord record) =>
        Apr.Testing.KnownStateReplay.Count(record.Calls.Select(c => (c.Thread, c.Prompt, c.Completion)), 1);

    [Fact]
    public void With_a_revisit_factor_a_thread_explores_a_state_it_knows_was_searched_only_when_nothing_new_is_left()
    {
        var five = new CountdownProblem("v5", 97, [2, 3, 5, 7, 11]);
        ProblemRecord Run(double revisit)
        {
            using var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 16, 4096);
            var guide = new ValueGuide(new HashScorer(), 64.0) { Revisit = revisit };
            return new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Sampling: new SamplingOptions(1.0), Value: guide, Budget: 8000)).Solve(five, 26); // a seed whose zero-logit shape spawns 4 children over 2 spawns
        }
        var plain = Run(1.0);
        Assert.True(plain.Calls.Count(c => c.Level == 1) >= 4 && plain.Calls.Count(c => c.Thread == NodeIds.Root) >= 3,
            $"the problem spawned {plain.Calls.Count(c => c.Level == 1)} children in {plain.Calls.Count(c => c.Thread == NodeIds.Root)} root calls: too few for knowledge to pass between spawns");
        var (plainKnown, plainExplored) = Revisits(plain);
        Assert.True(plainKnown > 0, $"without memory no thread chose a known state ({plainExplored} explore lines): the test could not fail");
        var remembering = Run(0.001);
        var (known, explored) = Revisits(remembering);
        Assert.True(explored > 0);
        Assert.Equal(0, known);
        Assert.Equal(remembering.Calls.Select(c => c.Completion), Run(0.001).Calls.Select(c => c.Completion)); // deterministic
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValueGuide(new HashScorer(), 1.0) { Revisit = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValueGuide(new HashScorer(), 1.0) { Revisit = 1.5 });
    }

    /// <summary>How many of its start node's successors a child explored before its first other choice (a move, a spawn, giving up).</summary>
    private static int FirstLook(ThreadCallRecord call) =>
        call.Completion.Split('\n').TakeWhile(l => l.StartsWith("Exploring Operation: ", StringComparison.Ordinal) || l.StartsWith("Generated Node #", StringComparison.Ordinal)).Count(l => l.StartsWith("Exploring", StringComparison.Ordinal));

    [Fact]
    public void With_a_widen_rule_a_child_the_value_rates_high_enough_explores_that_many_successors_first()
    {
        var five = new CountdownProblem("v5", 97, [2, 3, 5, 7, 11]);
        ProblemRecord Run(ValueGuide.WidenRule? widen)
        {
            using var decoder = new NullDecoder(TestData.Tokenizer.VocabSize, 16, 4096);
            var guide = new ValueGuide(new HashScorer(), 64.0) { Widen = widen };
            return new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Sampling: new SamplingOptions(1.0), Value: guide, Budget: 8000)).Solve(five, 26);
        }
        var plain = Run(null);
        var plainChildren = plain.Calls.Where(c => c.Level == 1).ToList();
        Assert.True(plainChildren.Exists(c => FirstLook(c) < 8), $"every child of the plain run looked at 8 or more successors first ({string.Join(", ", plainChildren.Select(FirstLook))}): the test could not fail");

        var wide = Run(new ValueGuide.WidenRule(0, 8)).Calls.Where(c => c.Level == 1).ToList();
        Assert.NotEmpty(wide);
        // Each child's start holds 4 numbers (18 or more successors): each looks at 8 first, unless it reached the target on the way.
        Assert.All(wide, c => Assert.True(FirstLook(c) >= 8 || c.Completion.Contains("Goal Reached", StringComparison.Ordinal), $"child {c.Thread} looked at {FirstLook(c)}"));

        // A threshold no state reaches (HashScorer rates at most 0.9) widens nothing: the record is the plain one.
        Assert.Equal(plain.Calls.Select(c => c.Completion), Run(new ValueGuide.WidenRule(0.95, 8)).Calls.Select(c => c.Completion));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValueGuide(new HashScorer(), 1.0) { Widen = new ValueGuide.WidenRule(1.5, 8) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValueGuide(new HashScorer(), 1.0) { Widen = new ValueGuide.WidenRule(0.5, 0) });
    }
}
