// SosPlusSolver: byte-identical to the slow reference-structured solver, hand-worked traces, strict
// verification of every answer, completeness with a wide beam, reproducibility across thread counts.
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search.Tests;

public sealed class SosPlusSolverTests
{
    [Fact]
    public void Every_trace_passes_the_protocol_validator()
    {
        var solver = new SosPlusSolver();
        var problems = TestProblems.Paper.Skip(2000).Take(800).ToList();
        for (var i = 0; i < problems.Count; i++)
        {
            var r = solver.Solve(problems[i], 8UL, i);
            var check = TraceValidator.Validate(r.Trace);
            Assert.True(check.Ok, $"problem {i}: {check}");
            Assert.Equal(r.Solved, check.Solved);
        }
    }

    [Fact]
    public void A_one_step_problem_gives_the_hand_worked_trace()
    {
        // T = 24, [4, 6]: keys (mult) 4+6=10 -> 2, 4*6=24 -> 0, 6-4=2 -> 0; beam 1 keeps 4*6=24.
        var solver = new SosPlusSolver(new SosPlusOptions { BeamMin = 1, BeamMax = 1 });
        var r = solver.Solve(new CountdownProblem("x", 24, [4, 6]), 1UL);
        Assert.True(r.Solved);
        Assert.Equal("Current State: 24:[4, 6], Operations: []\n", r.Trace.Calls[0].Prompt);
        Assert.Equal(
            "Exploring Operation: 4*6=24, Resulting Numbers: [24]\n" +
            "24,24 equal: Goal Reached\n" +
            "Moving to Node #0\n" +
            "Current State: 24:[4, 6], Operations: []\n" +
            "Exploring Operation: 4*6=24, Resulting Numbers: [24]\n" +
            "24,24 equal: Goal Reached\n", r.Trace.Calls[0].Completion);
        Assert.Equal(["4*6=24"], r.Answer.Select(o => o.ToString()));
    }

    [Fact]
    public void An_unsolvable_problem_explores_every_kept_successor_and_gives_up()
    {
        var solver = new SosPlusSolver(new SosPlusOptions { BeamMin = 4, BeamMax = 4 });
        var r = solver.Solve(new CountdownProblem("x", 7, [2, 2]), 5UL);
        Assert.False(r.Solved);
        Assert.Empty(r.Answer);
        var lines = r.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Current State: 7:[2, 2], Operations: []", lines[0]);
        Assert.Equal("No solution found.", lines[^1]);
        Assert.Equal(["2*2=4", "2+2=4", "2-2=0", "2/2=1"],
            lines.Where(l => l.StartsWith("Exploring", StringComparison.Ordinal)).Select(l => l[21..l.IndexOf(',')]).Order());
        Assert.Equal(4, lines.Count(l => l.EndsWith("unequal: No Solution", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(4, HeuristicKind.Mult, 1, 5, 0.5, 1500)]
    [InlineData(4, HeuristicKind.Sum, 1, 8, 0.5, 400)]
    [InlineData(3, HeuristicKind.Mult, 2, 6, 0.9, 400)]
    [InlineData(5, HeuristicKind.Mult, 1, 3, 0.3, 150)]
    public void Matches_the_slow_solver_byte_for_byte(int count, HeuristicKind h, int beamMin, int beamMax, double p, int n)
    {
        var options = new SosPlusOptions { Heuristic = h, BeamMin = beamMin, BeamMax = beamMax, DiveProbability = p };
        var problems = count == 4 && n <= 3000 ? TestProblems.Paper.Take(n).ToList()
            : TestProblems.Generate(ProblemDistribution.Paper with { Count = count }, n, 77);
        var fast = new SosPlusSolver(options);
        var solved = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var r = fast.Solve(problems[i], 99UL, i);
            var (text, slowSolved) = new SlowSosPlus(options).Solve(problems[i], Rng.ForItem(99, (ulong)i));
            Assert.Equal(text, r.Text);
            Assert.Equal(slowSolved, r.Solved);
            Assert.Equal("0", r.Trace.Calls[0].Thread);
            Assert.Null(r.Trace.Calls[0].Parent);
            Assert.Equal(r.Text.IndexOf('\n') + 1, r.Trace.Calls[0].Prompt.Length);
            if (r.Solved) { solved++; TraceReading.AssertAnswerVerifies(problems[i], r.Answer, r.Text); }
        }
        Assert.InRange(solved, 1, problems.Count - 1);
    }

    [Fact]
    public void Dives_nest_and_exit_level_by_level_after_a_goal()
    {
        // With dive probability 1, a goal found two levels down ends with Exit lines for levels 2 then 1.
        var solver = new SosPlusSolver(new SosPlusOptions { DiveProbability = 1, BeamMin = 2, BeamMax = 2 });
        var nested = 0;
        foreach (var (p, i) in TestProblems.Paper.Take(300).Select((p, i) => (p, i)))
        {
            var r = solver.Solve(p, 5UL, i);
            if (!r.Solved) continue;
            var tail = r.Text[r.Text.LastIndexOf(TraceReading.Goal, StringComparison.Ordinal)..];
            if (!r.Text.Contains("Start Sub Search at level 2", StringComparison.Ordinal)) continue;
            if (tail.Contains("Exit Sub Search at level 2\nExit Sub Search at level 1\n", StringComparison.Ordinal)) nested++;
        }
        Assert.True(nested > 10, $"only {nested} nested goal exits");
    }

    [Fact]
    public void A_wide_beam_is_complete_so_it_agrees_with_the_exhaustive_solver()
    {
        var solver = new SosPlusSolver(new SosPlusOptions { BeamMin = 64, BeamMax = 64 });
        var problems = TestProblems.Unfiltered(600, 4, 8);
        var solvable = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            var expected = ExhaustiveSolver.IsSolvable(p.Target, [.. p.Nums]);
            solvable += expected ? 1 : 0;
            Assert.Equal(expected, solver.Solve(p, 1UL, i).Solved);
        }
        Assert.InRange(solvable, 50, 590);
    }

    [Fact]
    public void The_same_seed_gives_the_same_traces_for_1_2_and_8_threads()
    {
        var solver = new SosPlusSolver();
        var problems = TestProblems.Paper.Take(1500).ToList();
        string[] Run(int threads)
        {
            var texts = new string[problems.Count];
            Parallel.For(0, problems.Count, new ParallelOptions { MaxDegreeOfParallelism = threads },
                i => texts[i] = solver.Solve(problems[i], 7UL, i).Text);
            return texts;
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(8));
        Assert.NotEqual(one, problems.Select((p, i) => solver.Solve(p, 8UL, i).Text).ToArray());
    }

    [Theory]
    [InlineData(0, 5, 0.5, "BeamMin must be in 1..64, got 0")]
    [InlineData(3, 2, 0.5, "BeamMax must be in BeamMin (3)..64, got 2")]
    [InlineData(1, 65, 0.5, "BeamMax must be in BeamMin (1)..64, got 65")]
    [InlineData(1, 5, 1.5, "DiveProbability must be in [0, 1], got 1.5")]
    [InlineData(1, 5, double.NaN, "DiveProbability must be in [0, 1], got NaN")]
    public void Invalid_options_are_rejected_naming_the_value(int beamMin, int beamMax, double p, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new SosPlusSolver(new SosPlusOptions { BeamMin = beamMin, BeamMax = beamMax, DiveProbability = p }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Problems_the_solver_cannot_take_are_rejected_naming_the_value()
    {
        var e = Assert.Throws<ArgumentException>(() => new SosPlusSolver().Solve(new CountdownProblem("q", 24, [1, 2, 3, 4, 5, 6, 7]), 1UL));
        Assert.Contains("got 7", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SosPlusSolver().Solve(new CountdownProblem("q", 1, [1, 2]), 1UL));
        Assert.Contains("got 1", e.Message);
    }
}
