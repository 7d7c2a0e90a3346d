// The budget sweep's frontier on samples whose costs are known: a policy run once is read at each cap
// (correct, every thread within the context, total or sequential tokens within the cap); a model told
// its budget is read at each cap from the run capped there; the targets compare against the best other
// policy; a record over its budget fails the "budgets kept" target.
using Apr.Evaluation;
using Apr.Inference;
using Apr.Protocol;
using Apr.Search;

namespace Apr.Evaluation.Tests;

public sealed class FrontierTests
{
    private static readonly int[] Caps = [1000, 2000, 4000];
    private static readonly int[] Sequential = [500, 1500];

    private static EvalSample S(int i, bool correct, long total, long sequential, int maxCall = 900, long? budget = null) =>
        new($"p{i}", 0, correct ? [new Apr.Countdown.Operation(1, '+', 1, 2)] : null, correct, total, 0, sequential, null, maxCall, 0, 0, correct ? "solved" : "no_solution", budget);

    private static (ConditionSummary, EvalSweeps) Summary(EvalCondition c, params EvalSample[] samples) =>
        (ConditionSummary.Of(new ConditionResult(c, samples, [], 0), [1024, 2048], Caps, Sequential), EvalSweeps.Budget);

    [Fact]
    public void Lines_read_each_cap_and_targets_compare_with_the_best_other_policy()
    {
        var enumerate = Summary(new EvalCondition("apr-enumerate-b4000", "enumerate", SearchMethod.Apr, EvalPolicy.Enumerate, Budget: 4000),
            S(0, true, 3000, 800), S(1, true, 1500, 1400), S(2, false, 4000, 900), S(3, true, 900, 400));
        var symbolic = Summary(new EvalCondition("apr-symbolic", "symbolic", SearchMethod.Apr, EvalPolicy.Symbolic),
            S(0, true, 800, 700, maxCall: 2100), S(1, true, 1900, 1000), S(2, true, 2500, 2000), S(3, false, 100, 100));
        var told = new List<(ConditionSummary, EvalSweeps)>();
        foreach (var cap in Caps)
            told.Add(Summary(new EvalCondition($"apr-model-told-b{cap}", "model", SearchMethod.Apr, EvalPolicy.Model, TokenBudget: cap, Budget: cap),
                S(0, true, cap - 100, cap / 3, budget: cap), S(1, cap >= 2000, cap - 50, 300, budget: cap), S(2, cap >= 4000, cap, 1400, budget: cap), S(3, true, 200, 100, budget: cap)));
        var lines = BudgetFrontier.Lines([enumerate, symbolic, .. told], Caps, Sequential);

        var e = lines.Single(l => l.Policy == EvalPolicy.Enumerate);
        Assert.Equal([0.25, 0.5, 0.75], e.AtTotal.Select(a => a!.Value));
        Assert.Equal([0.25, 0.75], e.AtSequential.Select(a => a!.Value));
        var s = lines.Single(l => l.Policy == EvalPolicy.Symbolic);
        Assert.Equal([0.0, 0.25, 0.5], s.AtTotal.Select(a => a!.Value)); // problem 0 needs 2,100 tokens in one thread: over the 2,048 context
        var m = lines.Single(l => l.Learned);
        Assert.True(m.ToldBudget);
        Assert.Equal([0.5, 0.75, 1.0], m.AtTotal.Select(a => a!.Value));
        Assert.Equal([0.5, 1.0], m.AtSequential.Select(a => a!.Value)); // the best of its budget runs at each sequential cap (at 1,500 only the 4,000 run solves all)

        var targets = BudgetFrontier.Targets(lines, Caps, Sequential, overBudget: 0);
        Assert.True(targets.Single(t => t.Name.Contains("total-token cap")).Met);
        Assert.True(targets.Single(t => t.Name.Contains("sequential-token cap")).Met);
        Assert.True(targets.Single(t => t.Name.StartsWith("budgets kept")).Met);
        Assert.False(BudgetFrontier.Targets(lines, Caps, Sequential, overBudget: 1).Single(t => t.Name.StartsWith("budgets kept")).Met);

        // Two symbolic trees are two lines, and the gap goal still compares with the paper's solver.
        var b2 = Summary(new EvalCondition("apr-symbolic-b2c2", "b2", SearchMethod.Apr, EvalPolicy.Symbolic, Tree: new SymbolicTree(2, 2)), S(0, true, 500, 500), S(1, true, 500, 500), S(2, true, 500, 500), S(3, true, 500, 500));
        var b4 = Summary(new EvalCondition("apr-symbolic-b4c1", "b4", SearchMethod.Apr, EvalPolicy.Symbolic, Tree: new SymbolicTree(4, 1)), S(0, false, 500, 500), S(1, false, 500, 500), S(2, false, 500, 500), S(3, false, 500, 500));
        var withTrees = BudgetFrontier.Lines([enumerate, symbolic, .. told, b2, b4], Caps, Sequential);
        Assert.Equal(["apr-symbolic", "apr-symbolic-b2c2", "apr-symbolic-b4c1"], withTrees.Where(l => l.Policy == EvalPolicy.Symbolic).Select(l => l.Name));
        var treeTargets = BudgetFrontier.Targets(withTrees, Caps, Sequential, overBudget: 0);
        Assert.False(treeTargets.Single(t => t.Name.Contains("total-token cap")).Met); // the b2c2 tree solves all four at 1,000 tokens
        Assert.Contains("b2 100.0%", treeTargets.Single(t => t.Name.Contains("total-token cap")).Finding);

        // A ranked tree (learned ranking, fixed shape) is a learned line, but the targets stay the model's, with the tree among the others.
        var rankedTree = Summary(new EvalCondition("apr-ranked-b2c2", "b2 ranked", SearchMethod.Apr, EvalPolicy.Ranked, Tree: new SymbolicTree(2, 2)), S(0, true, 500, 500), S(1, true, 500, 500), S(2, true, 500, 500), S(3, true, 500, 500));
        var withRanked = BudgetFrontier.Lines([rankedTree, enumerate, symbolic, .. told], Caps, Sequential);
        var r = withRanked.Single(l => l.Policy == EvalPolicy.Ranked);
        Assert.Equal(("apr-ranked-b2c2", true), (r.Name, r.Learned));
        var rankedTargets = BudgetFrontier.Targets(withRanked, Caps, Sequential, overBudget: 0);
        Assert.StartsWith("APR model, told its budget >= every other policy", rankedTargets.Single(t => t.Name.Contains("total-token cap")).Name);
        Assert.Contains("b2 ranked 100.0%", rankedTargets.Single(t => t.Name.Contains("total-token cap")).Finding);

        // The same model below the enumerator at 2,000: the total-cap target is not met.
        var weaker = lines.Select(l => l.Learned ? l with { AtTotal = [0.5, 0.25, 1.0] } : l).ToList();
        Assert.False(BudgetFrontier.Targets(weaker, Caps, Sequential, 0).Single(t => t.Name.Contains("total-token cap")).Met);
    }

    [Fact]
    public void A_sample_over_its_budget_is_counted()
    {
        var (summary, _) = Summary(new EvalCondition("x", "x", SearchMethod.Apr, EvalPolicy.Enumerate, Budget: 1000), S(0, true, 1001, 10, budget: 1000), S(1, true, 999, 10, budget: 1000));
        Assert.Equal(1, summary.OverBudget);
    }

    [Fact]
    public void Budget_prefixes_pick_the_largest_training_budget_within_the_cap()
    {
        var apr = new ModelConditioning([1000, 2000, 4000], null);
        Assert.Equal(2000, BudgetPrefix.For(3999, SearchMethod.Apr, apr));
        Assert.Equal(4000, BudgetPrefix.For(4000, SearchMethod.Apr, apr));
        Assert.Equal(1000, BudgetPrefix.For(500, SearchMethod.Apr, apr));
        Assert.Equal(4000, BudgetPrefix.For(null, SearchMethod.Apr, apr));
        Assert.Null(BudgetPrefix.For(4000, SearchMethod.Apr, ModelConditioning.None));
        var perThousand = apr with { BudgetUnit = 1000 }; // the prefix says the bin in thousands
        Assert.Equal(2, BudgetPrefix.For(3999, SearchMethod.Apr, perThousand));
        Assert.Equal(4, BudgetPrefix.For(null, SearchMethod.Apr, perThousand));
        Assert.Throws<ArgumentException>(() => (apr with { BudgetUnit = 3000 }).Validate());
        var sosp = new ModelConditioning(null, 256);
        Assert.Equal(768, BudgetPrefix.For(1000, SearchMethod.SosPlus, sosp));
        Assert.Equal(256, BudgetPrefix.For(100, SearchMethod.SosPlus, sosp));
        Assert.Null(BudgetPrefix.For(null, SearchMethod.SosPlus, sosp));
    }
}
