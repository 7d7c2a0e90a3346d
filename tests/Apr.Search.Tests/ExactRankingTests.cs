// ExactRanking, the no-learning ranking of `apr eval --exact-upto N`: states of at most N numbers score 1 when the target
// can be reached from them and 0 when not, larger ones all alike; a tree carrying it is named and labelled for it; and
// on 4-number problems the tree 2:1 checking 3-number states exactly solves every solvable problem, which the heuristic's
// tree does not. With a learned ranking beyond it (trees ranked by a ranker and checked), larger states take that
// ranking's scores.
using Apr.Countdown;

namespace Apr.Search.Tests;

public sealed class ExactRankingTests
{
    [Fact]
    public void States_up_to_the_size_score_by_an_exact_check_and_larger_ones_alike()
    {
        var two = new ExactRanking(2);
        var scores = new double[5];
        // 10: 2*5; 3 and 4 make 7, 1, 12 (no exact division); 40/4; 13-3; a 3-number state is not checked.
        two.Score(10, [[2, 5], [3, 4], [40, 4], [13, 3], [1, 2, 3]], scores);
        Assert.Equal([1, 0, 1, 1, ExactRanking.Unchecked], scores);
        var three = new ExactRanking(3);
        var more = new double[2];
        three.Score(9, [[1, 2, 3], [1, 1, 1]], more);   // (1+2)*3 = 9; 1, 1, 1 make at most 3
        Assert.Equal([1, 0], more);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactRanking(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExactRanking(ProblemLimits.MaxNumbers + 1));
    }

    [Fact]
    public void With_a_ranking_beyond_it_larger_states_take_that_rankings_score_asked_once_for_them_alone()
    {
        var beyond = new SizeScorer();
        var checkedRanking = new ExactRanking(2, beyond);
        var scores = new double[4];
        checkedRanking.Score(10, [[2, 5], [1, 2, 3], [3, 4], [1, 2, 3, 4]], scores);
        Assert.Equal([1, 0.3, 0, 0.4], scores);
        Assert.Equal([[[1, 2, 3], [1, 2, 3, 4]]], beyond.Asked.Select(a => a.ToArray()));
        checkedRanking.Score(10, [[2, 5]], scores.AsSpan(0, 1));   // nothing too large: the ranking is not asked
        Assert.Single(beyond.Asked);
        // A tree ranked by a learned ranking with the check: both, the check first.
        var tree = SymbolicTree.Parse("2:2") with { ExactUpTo = 2 };
        var scorer = Assert.IsType<ExactRanking>(tree.Options(1, beyond).Scorer);
        Assert.Same(beyond, scorer.Beyond);
        Assert.Same(beyond, SymbolicTree.Parse("2:2").Options(1, beyond).Scorer);
    }

    // Rates a state by its size (0.1 per number), recording what it is asked.
    private sealed class SizeScorer : ISuccessorScorer
    {
        public List<long[][]> Asked { get; } = [];

        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            Asked.Add([.. states]);
            for (int i = 0; i < states.Count; i++) scores[i] = states[i].Length / 10.0;
        }
    }

    [Fact]
    public void A_tree_with_an_exact_check_is_named_for_it_and_solves_what_the_heuristic_misses()
    {
        var plain = SymbolicTree.Parse("2:1");
        var exact = plain with { ExactUpTo = 3 };
        Assert.Equal("b2c1x3", exact.Name);
        Assert.EndsWith("exact check of states of 2 to 3 numbers", exact.Label);
        Assert.EndsWith("exact check of 2-number states", (plain with { ExactUpTo = 2 }).Label);
        Assert.Null(plain.Options(1).Scorer);
        Assert.Equal(3, Assert.IsType<ExactRanking>(exact.Options(1).Scorer).UpTo);
        var problems = TestProblems.Unfiltered(100, 4, 17).Where(p => ExhaustiveSolver.IsSolvable(p.Target, [.. p.Nums])).ToList();
        var checkedTree = new AprSolver(exact.Options(1));
        var heuristic = new AprSolver(plain.Options(1));
        int heuristicSolved = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            Assert.True(checkedTree.Solve(problems[i], 4UL, i).Solved, problems[i].Id);
            heuristicSolved += heuristic.Solve(problems[i], 4UL, i).Solved ? 1 : 0;
        }
        Assert.True(heuristicSolved < problems.Count, $"the heuristic's tree solved all {problems.Count}: the test shows nothing");
    }
}
