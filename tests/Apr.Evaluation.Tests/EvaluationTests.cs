// The evaluation's scoring on runs whose answers are known: the random-choice policy and the symbolic
// solvers through the Evaluator (no model needed), the context curve, pass@k / cons@k, interpolation,
// the plan each sweep asks for, and the files a run writes.
using System.Text.Json;
using Apr.Countdown;
using Apr.Data;
using Apr.Demonstrations;
using Apr.Evaluation;
using Apr.Inference;
using Apr.Model;
using Apr.Testing;
using Apr.Tokenization;
using Apr.Protocol;
using Apr.Search;

namespace Apr.Evaluation.Tests;

public sealed class EvaluationTests
{
    private static readonly IReadOnlyList<CountdownProblem> Problems = new ProblemGenerator(ProblemDistribution.Paper).Generate(24, 5);
    private static readonly GuardOptions Guards = GuardOptions.Default with { ContextPerThread = 2048 };

    private static Evaluator NoModels(ulong seed = 3) => new(new Dictionary<SearchMethod, InferenceSession>(), Guards, seed, slots: 32);

    [Fact]
    public void Pass_and_cons_at_k_follow_the_samples()
    {
        using var evaluator = NoModels();
        var condition = new EvalCondition("r", "uniform", SearchMethod.SosPlus, EvalPolicy.Uniform, Samples: 4);
        var result = evaluator.Run(condition, Problems);
        Assert.Equal(Problems.Count * 4, result.Samples.Count);
        var summary = ConditionSummary.Of(result, [256, 2048]);
        Assert.Equal(4, summary.AtK.Count);
        // k = 1 is the first sample: pass@1 = cons@1 = accuracy.
        Assert.Equal(summary.Accuracy, summary.AtK[0].PassAtK, 9);
        Assert.Equal(summary.Accuracy, summary.AtK[0].ConsAtK, 9);
        for (int k = 1; k < 4; k++)
        {
            Assert.True(summary.AtK[k].PassAtK >= summary.AtK[k - 1].PassAtK);
            Assert.True(summary.AtK[k].ConsAtK <= summary.AtK[k].PassAtK);
            Assert.True(summary.AtK[k].MeanTotalTokens > summary.AtK[k - 1].MeanTotalTokens);
        }
        // pass@4 by hand: a problem counts when any of its samples is correct.
        double pass4 = result.Samples.GroupBy(s => s.Id).Average(g => g.Any(s => s.Correct) ? 1.0 : 0.0);
        Assert.Equal(pass4, summary.AtK[3].PassAtK, 9);
        Assert.True(pass4 > summary.Accuracy, "four random samples should solve more than one");
    }

    [Fact]
    public void A_sample_counts_under_a_context_limit_only_if_every_thread_fits()
    {
        using var evaluator = NoModels();
        var result = evaluator.Run(new EvalCondition("s", "symbolic", SearchMethod.Apr, EvalPolicy.Symbolic), Problems);
        var limits = new[] { 128, 512, 1024, 100_000 };
        var summary = ConditionSummary.Of(result, limits);
        for (int i = 0; i < limits.Length; i++)
        {
            double expected = result.Samples.Count(s => s.Correct && s.MaxCallTokens <= limits[i]) / (double)Problems.Count;
            Assert.Equal(expected, summary.ContextCurve[i].Accuracy, 9);
        }
        Assert.Equal(summary.Accuracy, summary.ContextCurve[^1].Accuracy, 9);
        Assert.True(summary.ContextCurve[0].Accuracy < summary.Accuracy, "no APR tree fits in 128 tokens");
        Assert.True(summary.MeanSequentialTokens < summary.MeanTotalTokens, "APR trees have children running side by side");
    }

    [Fact]
    public void The_symbolic_baseline_solves_what_trace_generation_solves_with_the_same_seed()
    {
        using var evaluator = NoModels(seed: 11);
        var result = evaluator.Run(new EvalCondition("s", "symbolic", SearchMethod.SosPlus, EvalPolicy.Symbolic), Problems);
        var traces = TraceGeneration.Generate(Problems, new TraceGenerationOptions { Method = SearchMethod.SosPlus }, 11, 1).ToList();
        Assert.Equal(traces.Select(t => t.Solved), result.Samples.Select(s => s.Correct));
        Assert.All(result.Samples.Where(s => s.Correct), s => Assert.True(Verifier.Verify(
            Problems.First(p => p.Id == s.Id).Target, Problems.First(p => p.Id == s.Id).Nums, s.Answer!).Ok));
    }

    [Fact]
    public void A_symbolic_record_is_the_solvers_tree_counted_and_marked_as_a_models_run_and_reads_back()
    {
        using var evaluator = NoModels(seed: 11);
        var result = evaluator.Run(new EvalCondition("s", "symbolic", SearchMethod.Apr, EvalPolicy.Symbolic), Problems);
        var traces = TraceGeneration.Generate(Problems, new TraceGenerationOptions { Method = SearchMethod.Apr }, 11, 1).ToList();
        int spawning = 0;
        for (int i = 0; i < Problems.Count; i++)
        {
            var record = result.Records[i];
            var tree = traces[i].Tree;
            Assert.Equal(tree.Calls, record.ToTraceTree().Calls); // the stored order is the tree's execution order
            var cost = TraceCost.Of(tree.Calls, TraceTokenizer.Default);
            Assert.Equal((cost.TotalTokens, cost.SequentialTokens, cost.LongestCall, cost.Children, cost.Spawns),
                (record.TotalTokens, record.SequentialTokens, record.MaxCallTokens, record.Children, record.Spawns));
            Assert.Equal(tree.Calls.Sum(c => TokenMarking.Mark(SearchMethod.Apr, c, TraceTokenizer.Default).ChosenCount), record.SampledTokens);
            Assert.Null(record.LatencyMs);
            spawning += record.Spawns > 0 ? 1 : 0;
            var line = ProblemRecordJson.ToJsonLine(record, texts: true);
            Assert.Equal(line, ProblemRecordJson.ToJsonLine(ProblemRecordReader.Parse(line), texts: true));
        }
        Assert.True(spawning > Problems.Count / 2, $"only {spawning} trees spawned");
    }

    [Fact]
    public void At_each_depth_the_symbolic_solver_and_the_enumerator_nest_exactly_that_deep_on_five_numbers_within_the_guards()
    {
        var five = new ProblemGenerator(ProblemDistribution.Paper with { Count = 5 }).Generate(6, 7);
        foreach (var depth in new[] { 0, 1, 2 })
        {
            var guards = Guards with { MaxDepth = depth };
            using var evaluator = new Evaluator(new Dictionary<SearchMethod, InferenceSession>(), guards, 3, slots: 32);
            var symbolic = evaluator.Run(new EvalCondition("s", "symbolic", SearchMethod.Apr, EvalPolicy.Symbolic), five);
            var traces = TraceGeneration.Generate(five, new TraceGenerationOptions { Method = SearchMethod.Apr, Apr = AprOptions.Paper with { Depth = depth } }, 3, 1).ToList();
            Assert.Equal(traces.Select(t => t.Tree.Calls.Count), symbolic.Records.Select(r => r.Calls.Count)); // the solver at --depth, as `data traces --depth`
            Assert.Equal(depth, symbolic.Records.Max(r => r.Calls.Max(c => c.Level)));
            var enumerate = evaluator.Run(new EvalCondition("e", "enumerate", SearchMethod.Apr, EvalPolicy.Enumerate, Budget: 32_000), five);
            Assert.Equal(depth, enumerate.Records.Max(r => r.Calls.Max(c => c.Level))); // spawns at every chance, so it reaches the limit and no further
            Assert.All(enumerate.Records, r =>
            {
                Assert.True(r.TotalTokens <= 32_000, $"{r.Id}: {r.TotalTokens} tokens over the 32,000 budget");
                Assert.True(r.Spawns <= guards.MaxSpawnsPerProblem, $"{r.Id}: {r.Spawns} spawns");
                Assert.True(r.MaxCallTokens <= guards.ContextPerThread, $"{r.Id}: a call of {r.MaxCallTokens} tokens, over the context");
            });
        }
    }

    [Fact]
    public void A_model_condition_without_a_model_is_refused_by_name()
    {
        using var evaluator = NoModels();
        var e = Assert.Throws<InvalidOperationException>(() => evaluator.Run(new EvalCondition("apr-model", "m", SearchMethod.Apr, EvalPolicy.Model), Problems));
        Assert.Contains("apr-model", e.Message);
    }

    [Theory]
    [InlineData(5.0, 0.5, " (interpolated)")]
    [InlineData(1.0, 0.1, "")]
    [InlineData(0.0, 0.1, " (its lowest point, 1)")]
    [InlineData(20.0, 0.9, " (its highest point, 10)")]
    public void Interpolation_is_linear_inside_and_clamped_outside(double x, double y, string note)
    {
        var (v, n) = EvalTargets.Interpolate([(1, 0.1), (10, 0.9), (4, 0.4), (6, 0.6)], x);
        Assert.Equal(y, v, 9);
        Assert.Equal(note, n);
    }

    [Fact]
    public void The_plan_has_what_each_sweep_asks_for()
    {
        var greedy = EvalPlan.Build(new EvalSettings([SearchMethod.Apr, SearchMethod.SosPlus], EvalSweeps.Greedy));
        Assert.Equal(["apr-model", "apr-uniform", "apr-symbolic", "sosp-model", "sosp-uniform", "sosp-symbolic"], greedy.Select(p => p.Condition.Name));
        var all = EvalPlan.Build(new EvalSettings([SearchMethod.Apr, SearchMethod.SosPlus], SubCallBudgets: [2, 8], TokenBudgets: [512], Samples: 3, SweepLimit: 7));
        var names = all.Select(p => p.Condition.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("apr-model-scb8", names);
        Assert.Contains("apr-model-t1-scb2", names);
        Assert.Contains("sosp-model-latency-tb512", names);
        Assert.Contains("apr-model-unguided", names);
        var cons = all.Single(p => p.Condition.Name == "sosp-model-t1-n3").Condition;
        Assert.Equal((3, 1.0, 7), (cons.Samples, cons.Temperature, cons.Limit!.Value));
        Assert.All(all.Where(p => p.Sweeps == EvalSweeps.Latency && p.Condition.Policy != EvalPolicy.Symbolic), p => Assert.True(p.Condition.OneAtATime));
        Assert.Throws<ArgumentException>(() => EvalPlan.Build(new EvalSettings([])));

        // The budget sweep: the symbolic condition is shared with greedy; an untold model runs once at the largest cap, a told one per cap.
        var budget = EvalPlan.Build(new EvalSettings([SearchMethod.Apr, SearchMethod.SosPlus], EvalSweeps.Greedy | EvalSweeps.Budget, Budgets: [1000, 4000], AprBudgetBins: [1000, 2000, 4000], Samples: 3));
        var byName = budget.ToDictionary(p => p.Condition.Name);
        Assert.Equal(EvalSweeps.Greedy | EvalSweeps.Budget, byName["apr-symbolic"].Sweeps);
        Assert.Equal((4000L, (int?)null), (byName["sosp-model-b4000"].Condition.Budget, byName["sosp-model-b4000"].Condition.TokenBudget));
        Assert.Equal((1000L, (int?)1000), (byName["apr-model-told-b1000"].Condition.Budget, byName["apr-model-told-b1000"].Condition.TokenBudget));
        Assert.Equal(4000, byName["apr-model-told-b4000"].Condition.TokenBudget); // told runs have their own names: --resume never mixes them with an untold run
        Assert.Equal(EvalPolicy.Enumerate, byName["apr-enumerate-b4000"].Condition.Policy);
        Assert.Equal(3, byName["sosp-model-t1-n3-b4000"].Condition.Samples);
        Assert.DoesNotContain("sosp-model-b1000", byName.Keys);
        // The width-capped symbolic APR trees (default set) come with the APR budget sweep only; --symbolic-trees none drops them.
        Assert.Equal(EvalSettings.DefaultSymbolicTrees.Select(t => $"apr-symbolic-{t.Name}"), budget.Where(p => p.Condition.Tree is not null).Select(p => p.Condition.Name));
        Assert.All(budget.Where(p => p.Condition.Tree is not null), p => Assert.Equal((SearchMethod.Apr, EvalPolicy.Symbolic, EvalSweeps.Budget), (p.Condition.Method, p.Condition.Policy, p.Sweeps)));
        Assert.DoesNotContain(EvalPlan.Build(new EvalSettings([SearchMethod.Apr], EvalSweeps.Budget, SymbolicTrees: [])), p => p.Condition.Tree is not null);
        Assert.DoesNotContain(EvalPlan.Build(new EvalSettings([SearchMethod.SosPlus], EvalSweeps.Budget)), p => p.Condition.Tree is not null);
        // --exact-upto 2: each tree also runs with its 2-number states checked exactly, still a no-learning policy.
        var exact = EvalPlan.Build(new EvalSettings([SearchMethod.Apr], EvalSweeps.Budget, ExactUpTo: 2)).Where(p => p.Condition.Tree is { ExactUpTo: 2 }).ToList();
        Assert.Equal(EvalSettings.DefaultSymbolicTrees.Select(t => $"apr-symbolic-{t.Name}x2"), exact.Select(p => p.Condition.Name));
        Assert.All(exact, p => Assert.False(p.Condition.Learned));
        Assert.Contains("covers states of 2..6 numbers, or 0 for none; got 1", Assert.Throws<ArgumentException>(() => new EvalSettings([SearchMethod.Apr], ExactUpTo: 1).Validate()).Message);
    }

    [Theory]
    [InlineData("2:2", 2, 2, null)]
    [InlineData("8:1:2", 8, 1, 2)]
    public void A_symbolic_tree_parses_beam_child_beam_and_depth(string text, int beam, int childBeam, int? depth)
    {
        var t = SymbolicTree.Parse(text);
        Assert.Equal(new SymbolicTree(beam, childBeam, depth), t);
        var o = t.Options(1);
        Assert.Equal((beam, beam, childBeam, childBeam, 1.0, beam, depth ?? 1), (o.BeamMin, o.BeamMax, o.ChildBeamMin, o.ChildBeamMax, o.SpawnProbability, o.MaxChildrenPerSpawn, o.Depth));
    }

    [Fact]
    public void A_symbolic_tree_may_give_its_children_a_wider_start()
    {
        var t = SymbolicTree.Parse("2:4/2:2");
        Assert.Equal(new SymbolicTree(2, 2, 2) { ChildStartBeam = 4 }, t);
        Assert.Equal(("2:4/2:2", "b2s4c2d2", 4), (t.Spec, t.Name, t.Options(1).ChildStartBeam));
        Assert.Null(SymbolicTree.Parse("2:2").Options(1).ChildStartBeam);
    }

    [Fact]
    public void A_nested_tree_may_have_children_that_end_when_their_own_children_fail()
    {
        var t = SymbolicTree.Parse("2:4/1:2e");
        Assert.Equal(new SymbolicTree(2, 1, 2) { ChildStartBeam = 4, ChildrenEnd = true }, t);
        Assert.Equal(("2:4/1:2e", "b2s4c1d2e", ChildrenFailPolicy.End), (t.Spec, t.Name, t.Options(1).ChildOnChildrenFail));
        Assert.Equal(ChildrenFailPolicy.Continue, t.Options(1).OnChildrenFail); // the root goes on
        Assert.Null(SymbolicTree.Parse("2:2:2").Options(1).ChildOnChildrenFail);
    }

    [Theory]
    [InlineData("2", "BEAM:CHILD_BEAM")]
    [InlineData("2:4/", "got '2:4/'")]
    [InlineData("2:4/2/2", "got '2:4/2/2'")]
    [InlineData("2:0/2", "ChildStartBeam must be in 1..64, got 0")]
    [InlineData("2:x", "got '2:x'")]
    [InlineData("2:2:2:2", "got '2:2:2:2'")]
    [InlineData("2:2e", "got '2:2e'")]
    [InlineData("2:2:e", "got '2:2:e'")]
    [InlineData("0:2", "BeamMin must be in 1..64, got 0")]
    [InlineData("2:65", "ChildBeamMin must be in 1..64, got 65")]
    [InlineData("2:2:6", "Depth must be in 0..5, got 6")]
    public void A_bad_symbolic_tree_is_refused_naming_it(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => SymbolicTree.Parse(text));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_symbolic_tree_spawns_at_most_its_beam_of_children_nests_to_its_depth_and_is_the_solver_with_those_options()
    {
        var five = new ProblemGenerator(ProblemDistribution.Paper with { Count = 5 }).Generate(6, 7);
        using var evaluator = new Evaluator(new Dictionary<SearchMethod, InferenceSession>(), Guards, 3, slots: 32);
        foreach (var tree in new[] { new SymbolicTree(2, 2, 1), new SymbolicTree(3, 1, 2) })
        {
            var run = evaluator.Run(new EvalCondition($"apr-symbolic-{tree.Name}", tree.Label, SearchMethod.Apr, EvalPolicy.Symbolic, Tree: tree), five);
            var traces = TraceGeneration.Generate(five, new TraceGenerationOptions { Method = SearchMethod.Apr, Apr = tree.Options(Guards.MaxDepth) }, 3, 1).ToList();
            Assert.Equal(traces.Select(t => t.Tree.Calls.Count), run.Records.Select(r => r.Calls.Count));
            Assert.All(run.Records, r => Assert.All(r.Calls, c => Assert.True(c.SpawnedChildren <= tree.Beam, $"{r.Id} {c.Thread}: {c.SpawnedChildren} children")));
            Assert.True(run.Records.Max(r => r.Calls.Max(c => c.Level)) <= tree.Depth);
            Assert.Contains(run.Records, r => r.Spawns > 0);
        }
    }

    [Fact]
    public void With_a_ranker_the_budget_sweep_runs_each_tree_ranked_too_and_the_ranking_decides_what_it_solves()
    {
        // The plan: one ranked condition per tree, learned; without --ranker none.
        var trees = new[] { new SymbolicTree(2, 2, 1), new SymbolicTree(8, 2, 1) };
        var plan = EvalPlan.Build(new EvalSettings([SearchMethod.Apr], EvalSweeps.Budget, SymbolicTrees: trees, Ranked: true));
        var ranked = plan.Where(p => p.Condition.Policy == EvalPolicy.Ranked).Select(p => p.Condition).ToList();
        Assert.Equal(["apr-ranked-b2c2d1", "apr-ranked-b8c2d1"], ranked.Select(c => c.Name));
        Assert.All(ranked, c => Assert.True(c.Learned));
        Assert.Equal("ranked-b2c2d1", ranked[0].PolicyName);
        Assert.DoesNotContain(EvalPlan.Build(new EvalSettings([SearchMethod.Apr], EvalSweeps.Budget, SymbolicTrees: trees)), p => p.Condition.Policy == EvalPolicy.Ranked);
        // With --exact-upto each ranked tree runs checked too, beside the unchecked one.
        var checkedPlan = EvalPlan.Build(new EvalSettings([SearchMethod.Apr], EvalSweeps.Budget, SymbolicTrees: trees, Ranked: true, ExactUpTo: 2));
        Assert.Equal(["apr-ranked-b2c2d1", "apr-ranked-b8c2d1", "apr-ranked-b2c2d1x2", "apr-ranked-b8c2d1x2"],
            checkedPlan.Where(p => p.Condition.Policy == EvalPolicy.Ranked).Select(p => p.Condition.Name));

        // The run: an exact ranking solves every problem the heuristic's tree misses; no ranker is a clear error.
        var problems = new ProblemGenerator(ProblemDistribution.Paper).Generate(40, 11);
        var condition = ranked[0];
        using (var none = new Evaluator(new Dictionary<SearchMethod, InferenceSession>(), Guards, 3, slots: 32))
            Assert.Contains("needs a learned ranking (--ranker)", Assert.Throws<InvalidOperationException>(() => none.Run(condition, problems)).Message);
        using var evaluator = new Evaluator(new Dictionary<SearchMethod, InferenceSession>(), Guards, 3, slots: 32) { Ranker = new ExactScorer() };
        var exact = evaluator.Run(condition, problems);
        var heuristic = evaluator.Run(new EvalCondition("apr-symbolic-b2c2d1", "h", SearchMethod.Apr, EvalPolicy.Symbolic, Tree: trees[0]), problems);
        Assert.All(exact.Records, r => Assert.True(r.Correct, r.Id));
        Assert.Contains(heuristic.Records, r => !r.Correct);
    }

    private sealed class ExactScorer : ISuccessorScorer
    {
        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            for (int i = 0; i < states.Count; i++) scores[i] = ExhaustiveSolver.IsSolvable(target, states[i]) ? 1 : 0;
        }
    }

    [Slow]
    [Fact]
    public void A_run_writes_records_summary_report_and_plots()
    {
        var dir = Directory.CreateTempSubdirectory("apr-eval-").FullName;
        try
        {
            using var evaluator = NoModels();
            var plan = new List<PlannedCondition>
            {
                new(new EvalCondition("sosp-random", "SoS+ uniform policy", SearchMethod.SosPlus, EvalPolicy.Uniform), EvalSweeps.Greedy),
                new(new EvalCondition("sosp-symbolic", "SoS+ symbolic solver", SearchMethod.SosPlus, EvalPolicy.Symbolic), EvalSweeps.Greedy),
                new(new EvalCondition("sosp-random-n3", "SoS+ uniform policy", SearchMethod.SosPlus, EvalPolicy.Uniform, Temperature: 1, Samples: 3, Limit: 10), EvalSweeps.Tokens),
            };
            var info = new EvalRunInfo("p.jsonl", Problems.Count, new Dictionary<string, string>(), 2048, 1792, 3, 1, "apr eval (test)");
            var results = EvalRun.Execute(evaluator, plan, Problems, dir, info, [512, 1792, 2048]);
            Assert.Equal(3, results.Count);
            var records = File.ReadAllLines(Path.Combine(dir, "records", "sosp-random-n3.jsonl"));
            Assert.Equal(30, records.Length);
            using var first = JsonDocument.Parse(records[0]);
            Assert.Equal(Problems[0].Id, first.RootElement.GetProperty("id").GetString());
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var conditions = summary.RootElement.GetProperty("conditions");
            Assert.Equal(3, conditions.GetArrayLength());
            int correct = File.ReadAllLines(Path.Combine(dir, "records", "sosp-random.jsonl")).Count(l => l.Contains("\"correct\":true"));
            Assert.Equal(Math.Round(correct / (double)Problems.Count, 4), conditions[0].GetProperty("accuracy").GetDouble(), 9);
            Assert.Equal(3, conditions[2].GetProperty("at_k").GetArrayLength());
            Assert.True(File.Exists(Path.Combine(dir, "context.png")));
            Assert.True(File.Exists(Path.Combine(dir, "tokens.png")));
            Assert.Contains("| sosp-symbolic |", File.ReadAllText(Path.Combine(dir, "report.md")));
            Assert.DoesNotContain("Incomplete", File.ReadAllText(Path.Combine(dir, "report.md")));

            // --resume reads finished conditions back instead of running them: an edited record shows in the summary.
            var path = Path.Combine(dir, "records", "sosp-random.jsonl");
            var lines = File.ReadAllLines(path);
            int wrong = Array.FindIndex(lines, l => l.Contains("\"correct\":false"));
            lines[wrong] = lines[wrong].Replace("\"correct\":false", "\"correct\":true");
            File.WriteAllLines(path, lines);
            var resumed = EvalRun.Execute(evaluator, plan, Problems, dir, info, [512, 1792, 2048], resume: true);
            Assert.Equal(results[0].Summary.Accuracy + 1.0 / Problems.Count, resumed[0].Summary.Accuracy, 9);
            Assert.Equal(results[1].Summary.Accuracy, resumed[1].Summary.Accuracy, 9);
            Assert.Equal(results[2].Summary.AtK.Select(a => a.PassAtK), resumed[2].Summary.AtK.Select(a => a.PassAtK));
            File.WriteAllLines(path, lines[..^1]); // a short file is run again
            Assert.Equal(results[0].Summary.Accuracy, EvalRun.Execute(evaluator, plan, Problems, dir, info, [512, 1792, 2048], resume: true)[0].Summary.Accuracy, 9);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
