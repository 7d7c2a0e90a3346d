// AprSolver: byte-identical to the slow reference-structured solver for both failure policies,
// nesting and the children cap; protocol invariants checked from the trace text alone (child prompts,
// join prompts rebuilt with SpawnJoin from the children's own calls, thread ids, execution order,
// counts); strict verification; completeness with wide beams; reproducibility across thread counts.
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;
using Apr.Testing;

namespace Apr.Search.Tests;

public sealed class AprSolverTests
{
    public static TheoryData<string> Configurations => ["paper", "end", "depth2", "depth2-cap3-end", "sum"];

    private static AprOptions Options(string name) => name switch
    {
        "paper" => AprOptions.Paper,
        "end" => AprOptions.Paper with { OnChildrenFail = ChildrenFailPolicy.End },
        "depth2" => AprOptions.Paper with { Depth = 2 },
        "depth2-cap3-end" => AprOptions.Paper with { Depth = 2, MaxChildrenPerSpawn = 3, OnChildrenFail = ChildrenFailPolicy.End },
        "sum" => AprOptions.Paper with { Heuristic = HeuristicKind.Sum, BeamMax = 6, ChildBeamMax = 8 },
        _ => throw new ArgumentException(name),
    };

    [Slow]
    [Theory]
    [MemberData(nameof(Configurations))]
    public void Matches_the_slow_solver_byte_for_byte(string name)
    {
        var options = Options(name);
        var fast = new AprSolver(options);
        var problems = TestProblems.Paper.Take(name == "paper" ? 800 : 300).ToList();
        for (var i = 0; i < problems.Count; i++)
        {
            var r = fast.Solve(problems[i], 31UL, i);
            var slow = new SlowApr(options);
            var (calls, solved) = slow.Solve(problems[i], Rng.ForItem(31, (ulong)i));
            Assert.Equal(calls.Count, r.Trace.Calls.Count);
            for (var c = 0; c < calls.Count; c++) Assert.Equal(calls[c], r.Trace.Calls[c]);
            Assert.Equal(solved, r.Solved);
            Assert.Equal(slow.Spawns, r.Spawns);
            Assert.Equal(slow.Children, r.Children);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_trace_tree_passes_the_protocol_validator(string name)
    {
        var options = Options(name);
        var solver = new AprSolver(options);
        var validation = ValidationOptions.Default with { AprMaxDepth = options.Depth };
        var problems = TestProblems.Paper.Skip(2000).Take(500).ToList();
        for (var i = 0; i < problems.Count; i++)
        {
            var r = solver.Solve(problems[i], 8UL, i);
            var check = TraceValidator.Validate(r.Trace, validation);
            Assert.True(check.Ok, $"{name}, problem {i}: {check}");
            Assert.Equal(r.Solved, check.Solved);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Trace_trees_keep_the_protocol(string name)
    {
        var solver = new AprSolver(Options(name));
        var problems = TestProblems.Paper.Skip(1000).Take(400).ToList();
        var spawned = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            var r = solver.Solve(p, 5UL, i);
            ProtocolChecks.Check(p, r);
            spawned += r.Spawns;
            var root = r.Trace.Calls.Last(c => c.Thread == "0");
            Assert.Equal(r.Solved, root.Completion.EndsWith($"{p.Target},{p.Target}{TraceReading.Goal}", StringComparison.Ordinal));
            if (r.Solved) TraceReading.AssertAnswerVerifies(p, r.Answer, root.Text);
            else Assert.EndsWith("No solution found.\n", root.Completion);
        }
        Assert.True(spawned > problems.Count / 2, $"only {spawned} spawns");
    }

    [Fact]
    public void Depth_2_produces_grandchildren_and_depth_0_never_spawns()
    {
        var deep = new AprSolver(AprOptions.Paper with { Depth = 2 });
        var flat = new AprSolver(AprOptions.Paper with { Depth = 0 });
        var grandchildren = 0;
        for (var i = 0; i < 300; i++)
        {
            var p = TestProblems.Paper[i];
            var r = deep.Solve(p, 3UL, i);
            var g = r.Trace.Calls.Where(c => c.Thread.Count(ch => ch == '.') == 2).ToList();
            grandchildren += g.Select(c => c.Thread).Distinct().Count();
            foreach (var c in g) Assert.StartsWith(c.Parent + ".", c.Thread);
            if (g.Count > 0)
                Assert.Contains(r.Trace.Calls, c => c.Completion.Contains("<Start Sub Search 0 at level 2>", StringComparison.Ordinal));
            var f = flat.Solve(p, 3UL, i);
            Assert.Single(f.Trace.Calls);
            Assert.Equal(0, f.Spawns);
        }
        Assert.True(grandchildren > 50, $"only {grandchildren} grandchildren");
    }

    [Fact]
    public void Continue_goes_on_after_a_failed_join_with_the_next_successors_of_the_spawning_node()
    {
        var solver = new AprSolver();
        var seen = 0;
        for (var i = 0; i < 400 && seen < 20; i++)
        {
            var r = solver.Solve(TestProblems.Paper[i], 11UL, i);
            foreach (var call in r.Trace.Calls.Where(c => c.Thread == "0"))
            {
                var text = call.Text;
                var join = text.LastIndexOf("<End Sub Searches>\n", StringComparison.Ordinal);
                if (join < 0 || text[..join].Contains("<Goal Reached in Sub Search", StringComparison.Ordinal)) continue;
                var after = call.Completion;
                if (!after.StartsWith("Exploring Operation: ", StringComparison.Ordinal)) continue;
                // The spawning node's ids continue: the last Generated id before the block + 1 comes next.
                var before = text[..text.LastIndexOf("<Sub Searches>\n", StringComparison.Ordinal)];
                var lastId = before[(before.LastIndexOf("Generated Node #", StringComparison.Ordinal) + 16)..];
                lastId = lastId[..lastId.IndexOf(':')];
                var parent = lastId[..lastId.LastIndexOf(',')];
                var k = int.Parse(lastId[(lastId.LastIndexOf(',') + 1)..]);
                var firstNew = after.IndexOf("Generated Node #", StringComparison.Ordinal);
                if (firstNew >= 0)
                    Assert.StartsWith($"Generated Node #{parent},{k + 1}:", after[firstNew..]);
                seen++;
            }
        }
        Assert.True(seen >= 5, $"only {seen} continued searches after failed joins");
    }

    [Fact]
    public void Wide_beams_are_complete_so_they_agree_with_the_exhaustive_solver()
    {
        var wide = AprOptions.Paper with { BeamMin = 64, BeamMax = 64, ChildBeamMax = 64 };
        var problems = TestProblems.Unfiltered(300, 4, 12);
        foreach (var policy in new[] { ChildrenFailPolicy.Continue, ChildrenFailPolicy.End })
        {
            var solver = new AprSolver(wide with { OnChildrenFail = policy });
            for (var i = 0; i < problems.Count; i++)
            {
                var p = problems[i];
                Assert.Equal(ExhaustiveSolver.IsSolvable(p.Target, [.. p.Nums]), solver.Solve(p, 2UL, i).Solved);
            }
        }
    }

    [Fact]
    public void ChildBeamMin_gives_narrow_children_under_a_wide_root()
    {
        // The paper draws a child's beam from [root beam, ChildBeamMax]; with ChildBeamMin children draw from their own range.
        var narrow = new AprSolver(AprOptions.Paper with { BeamMin = 6, BeamMax = 6, ChildBeamMin = 1, ChildBeamMax = 2, SpawnProbability = 1 });
        var beams = new HashSet<int>();
        for (var i = 0; i < 200; i++)
        {
            var r = narrow.Solve(TestProblems.Paper[i], 5UL, i);
            Assert.Equal(6, r.Beam);
            Assert.InRange(r.ChildBeam, 1, 2);
            beams.Add(r.ChildBeam);
            // A child (which cannot spawn at depth 1) explores at most ChildBeam successors of each node it expands.
            foreach (var c in r.Trace.Calls.Where(c => c.Parent is not null))
                foreach (var expansion in c.Completion.Split("Current State: ", StringSplitOptions.None))
                    Assert.True(CountOf(expansion, "Exploring Operation: ") <= r.ChildBeam, $"{c.Thread}: more than {r.ChildBeam} successors of one node");
            if (r.Trace.Calls.Count > 1) Assert.Contains("Exploring Operation: ", r.Trace.Calls[0].Completion);
        }
        Assert.Equal([1, 2], beams.Order());
        var e = Assert.Throws<ArgumentException>(() => new AprSolver(AprOptions.Paper with { ChildBeamMin = 3, ChildBeamMax = 2 }));
        Assert.Contains("ChildBeamMax must be in ChildBeamMin (3)..64, got 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => new AprSolver(AprOptions.Paper with { ChildBeamMin = 0 }));
        Assert.Contains("ChildBeamMin must be in 1..64, got 0", e.Message);
    }

    [Fact]
    public void With_hindsight_every_expansion_keeps_a_successor_that_can_reach_the_target_first()
    {
        // Beam 1 everywhere: the root and each child keep one successor, so with hindsight 1 the first path is a solution.
        var greedy = AprOptions.Paper with { BeamMin = 1, BeamMax = 1, ChildBeamMax = 1, HindsightProbability = 1 };
        var problems = TestProblems.Unfiltered(100, 4, 31).Where(p => ExhaustiveSolver.IsSolvable(p.Target, [.. p.Nums])).ToList();
        var solver = new AprSolver(greedy);
        var heuristic = new AprSolver(greedy with { HindsightProbability = 0 });
        int heuristicSolved = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var r = solver.Solve(problems[i], 2UL, i);
            Assert.True(r.Solved, problems[i].Id);
            Assert.DoesNotContain("No solution found", r.Trace.Calls[0].Completion);
            var search = r.Trace.Calls[0].Completion;
            Assert.Equal(3, CountOf(search[..search.IndexOf("Goal Reached", StringComparison.Ordinal)], "Exploring Operation: ")); // three operations, no detour (the recap follows)
            heuristicSolved += heuristic.Solve(problems[i], 2UL, i).Solved ? 1 : 0;
        }
        Assert.True(heuristicSolved < problems.Count * 0.8, $"the heuristic alone solved {heuristicSolved} of {problems.Count}");
        var e = Assert.Throws<ArgumentException>(() => new AprSolver(AprOptions.Paper with { HindsightProbability = 1.5 }));
        Assert.Contains("HindsightProbability must be in [0, 1], got 1.5", e.Message);
    }

    [Theory]
    [InlineData(4, "2:2")]
    [InlineData(5, "2:2:2")]
    [InlineData(5, "8:2")]
    public void A_scorer_that_rates_every_state_alike_leaves_the_trees_as_the_heuristic_runs_them(int numbers, string shape)
    {
        // Ties keep the heuristic's order and its keys decide within them (LevelScratch.ScoredKey): every call the same.
        var tree = SymbolicTree.Parse(shape).Options(1);
        var problems = TestProblems.Generate(ProblemDistribution.Paper with { Count = numbers }, 40, 5);
        var heuristic = new AprSolver(tree);
        var constant = new AprSolver(tree with { Scorer = new ConstantScorer() });
        for (var i = 0; i < problems.Count; i++)
        {
            var a = heuristic.Solve(problems[i], 3UL, i);
            var b = constant.Solve(problems[i], 3UL, i);
            Assert.Equal(a.Trace.Calls.Select(c => c.Prompt + c.Completion), b.Trace.Calls.Select(c => c.Prompt + c.Completion));
        }
    }

    [Fact]
    public void With_an_exact_scorer_the_tree_2_2_solves_every_solvable_problem_and_the_scorer_sees_only_states_of_two_or_more_numbers()
    {
        var tree = SymbolicTree.Parse("2:2").Options(1);
        var problems = TestProblems.Unfiltered(100, 4, 31).Where(p => ExhaustiveSolver.IsSolvable(p.Target, [.. p.Nums])).ToList();
        var exact = new ExactScorer();
        var ranked = new AprSolver(tree with { Scorer = exact });
        var heuristic = new AprSolver(tree);
        int heuristicSolved = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            Assert.True(ranked.Solve(problems[i], 2UL, i).Solved, problems[i].Id);
            heuristicSolved += heuristic.Solve(problems[i], 2UL, i).Solved ? 1 : 0;
        }
        Assert.True(heuristicSolved < problems.Count, $"the heuristic's tree solved all {problems.Count}: the test shows nothing");
        Assert.True(exact.Calls > problems.Count);
        Assert.Equal(2, exact.Smallest); // a two-number node's successors (verdicts) are not scored
    }

    [Fact]
    public void Children_with_a_start_beam_keep_that_many_successors_of_their_start_node_and_their_beam_below()
    {
        var problems = TestProblems.Generate(ProblemDistribution.Paper with { Count = 5 }, 30, 9);
        var wide = new AprSolver(SymbolicTree.Parse("2:4/2").Options(1));
        var narrow = new AprSolver(SymbolicTree.Parse("2:2").Options(1));
        var validation = ValidationOptions.Default with { AprMaxDepth = 1 };
        var children = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var r = wide.Solve(problems[i], 4UL, i);
            Assert.True(TraceValidator.Validate(r.Trace, validation).Ok, problems[i].Id);
            foreach (var call in r.Trace.Calls.Where(c => c.Thread != "0"))
            {
                // A child's completion: its start node's batch, then per later node a Current State line and its batch.
                // A child of a 4-number node has at least 4 successors (later children start deeper, with fewer).
                var at = call.Prompt.IndexOf('[', call.Prompt.LastIndexOf("Current State: ", StringComparison.Ordinal)) + 1;
                var state = call.Prompt[at..call.Prompt.IndexOf(']', at)];
                if (state.Split(',').Length != 4) continue;
                var batches = call.Completion.Split("Current State: ");
                Assert.Equal(4, CountOf(batches[0], "Exploring Operation: "));
                Assert.All(batches.Skip(1), b => Assert.True(CountOf(b, "Exploring Operation: ") <= 2, b));
                children++;
            }
            Assert.True(r.Solved || !narrow.Solve(problems[i], 4UL, i).Solved, $"{problems[i].Id}: the tree with wider children failed where 2:2 solved");
        }
        Assert.True(children > problems.Count, $"{children} children");
    }

    [Fact]
    public void Nested_children_that_end_spawn_once_and_return_when_those_children_fail_and_the_root_goes_on()
    {
        var problems = TestProblems.Generate(ProblemDistribution.Paper with { Count = 5 }, 30, 11);
        var ending = new AprSolver(SymbolicTree.Parse("2:2/1:2e").Options(1));
        var going = new AprSolver(SymbolicTree.Parse("2:2/1:2").Options(1));
        var validation = ValidationOptions.Default with { AprMaxDepth = 2 };
        int failedJoins = 0, rootResumes = 0, bothFailed = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var r = ending.Solve(problems[i], 4UL, i);
            Assert.True(TraceValidator.Validate(r.Trace, validation).Ok, problems[i].Id);
            foreach (var thread in r.Trace.Calls.GroupBy(c => c.Thread))
            {
                var spawns = thread.Count(c => c.Completion.Contains("<Start Sub Search 0 at level", StringComparison.Ordinal));
                if (thread.Key == "0") { rootResumes += Math.Max(0, spawns - 1); continue; }
                Assert.True(spawns <= 1, $"{problems[i].Id}: child {thread.Key} spawned {spawns} times");
                if (spawns == 1 && !thread.Last().Completion.Contains("Goal Reached", StringComparison.Ordinal))
                {
                    Assert.EndsWith(TraceFormat.NoSolutionFound + "\n", thread.Last().Completion, StringComparison.Ordinal);
                    failedJoins++;
                }
            }
            // Where the children keep going, a nested child spawns again after a failed join: the tree writes more.
            var g = going.Solve(problems[i], 4UL, i);
            if (!r.Solved && !g.Solved)
            {
                Assert.True(Written(g) > Written(r), problems[i].Id);
                bothFailed++;
            }
        }
        Assert.True(failedJoins > 0 && rootResumes > 0 && bothFailed > 0,
            $"{failedJoins} children ended after a failed join, the root spawned again {rootResumes} times, {bothFailed} problems both failed");

        static int Written(AprResult x) => x.Trace.Calls.Sum(c => c.Completion.Length);
    }

    [Fact]
    public void A_tree_with_new_states_first_explores_a_state_its_thread_knows_only_when_no_new_one_is_left()
    {
        Assert.Equal("b2s4c1m", SymbolicTree.Parse("2:4/1m").Name);
        Assert.Equal("2:2/1:2em", SymbolicTree.Parse("2:2/1:2em").Spec);
        Assert.Equal("b2s2c1d2em", SymbolicTree.Parse("2:2/1:2em").Name);
        Assert.True(SymbolicTree.Parse("2:2m").Options(1).NewStatesFirst);
        Assert.False(SymbolicTree.Parse("2:2").Options(1).NewStatesFirst);
        Assert.Throws<FormatException>(() => SymbolicTree.Parse("2:m2"));

        // Knowing nothing new changes no order: the verdicts of a two-number node and states nobody generated keep theirs.
        var scratch = new LevelScratch();
        var arena = new NodeArena();
        long[] five = [27, 6, 48, 16, 92];
        arena.Reset(five, 0);
        scratch.Generate(arena, 0, HeuristicTable.For(HeuristicKind.Mult, 58));
        var before = scratch.All[..scratch.AllCount].Select(c => (c.Op, c.Key)).ToArray();
        scratch.KnownLast(five, new KnownStates());
        Assert.Equal(before, scratch.All[..scratch.AllCount].Select(c => (c.Op, c.Key)).ToArray());
        long[] two = [1, 59];
        arena.Reset(two, 0);
        scratch.Generate(arena, 0, HeuristicTable.For(HeuristicKind.Mult, 58));
        var verdicts = scratch.All[..scratch.AllCount].Select(c => c.Op).ToArray();
        var knowing = new KnownStates();
        knowing.Add([58]);
        scratch.KnownLast(two, knowing);
        Assert.Equal(verdicts, scratch.All[..scratch.AllCount].Select(c => c.Op).ToArray());

        var problems = TestProblems.Generate(ProblemDistribution.Paper with { Count = 6 }, 20, 13);
        foreach (var (spec, depth) in new[] { ("2:4/1", 1), ("2:2/1:2e", 2) })
        {
            var plain = new AprSolver(SymbolicTree.Parse(spec).Options(1));
            var memory = new AprSolver(SymbolicTree.Parse(spec + "m").Options(1));
            var validation = ValidationOptions.Default with { AprMaxDepth = depth };
            int plainKnown = 0, explored = 0, fewer = 0;
            for (var i = 0; i < problems.Count; i++)
            {
                var p = plain.Solve(problems[i], 4UL, i);
                var m = memory.Solve(problems[i], 4UL, i);
                Assert.True(TraceValidator.Validate(m.Trace, validation).Ok, $"{spec}m {problems[i].Id}");
                plainKnown += KnownStateReplay.Count(p.Trace.Calls.Select(c => (c.Thread, c.Prompt, c.Completion)), depth).KnownChosen;
                var (known, n) = KnownStateReplay.Count(m.Trace.Calls.Select(c => (c.Thread, c.Prompt, c.Completion)), depth);
                Assert.True(known == 0, $"{spec}m {problems[i].Id}: {known} explore lines chose a known state while a new one was legal");
                explored += n;
                fewer += m.Trace.Calls.Sum(c => c.Completion.Length) < p.Trace.Calls.Sum(c => c.Completion.Length) ? 1 : 0;
                Assert.Equal(m.Trace.Calls.Select(c => c.Completion), memory.Solve(problems[i], 4UL, i).Trace.Calls.Select(c => c.Completion));
            }
            Assert.True(plainKnown > 0, $"{spec}: without the memory no thread chose a known state: the test could not fail");
            Assert.True(explored > problems.Count && fewer > 0, $"{spec}m: {explored} explore lines, {fewer} problems written shorter");
        }
    }

    private sealed class ConstantScorer : ISuccessorScorer
    {
        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores) => scores.Fill(0.3);
    }

    // ExactRanking over every size, counting what it is asked.
    private sealed class ExactScorer : ISuccessorScorer
    {
        private readonly ExactRanking _exact = new(ProblemLimits.MaxNumbers);
        public int Calls, Smallest = int.MaxValue;

        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            Calls++;
            foreach (var s in states) Smallest = Math.Min(Smallest, s.Length);
            _exact.Score(target, states, scores);
        }
    }

    private static int CountOf(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    [Slow]
    [Fact]
    public void The_same_seed_gives_the_same_trees_for_1_2_and_8_threads()
    {
        var solver = new AprSolver(AprOptions.Paper with { Depth = 2 });
        var problems = TestProblems.Paper.Take(800).ToList();
        string[] Run(int threads)
        {
            var texts = new string[problems.Count];
            Parallel.For(0, problems.Count, new ParallelOptions { MaxDegreeOfParallelism = threads },
                i => texts[i] = string.Join("\u0001", solver.Solve(problems[i], 7UL, i).Trace.Calls.Select(c => $"{c.Thread}|{c.Parent}|{c.Prompt}|{c.Completion}")));
            return texts;
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(8));
    }

    [Theory]
    [InlineData(nameof(AprOptions.BeamMin), 0, "BeamMin must be in 1..64, got 0")]
    [InlineData(nameof(AprOptions.ChildBeamMax), 9, "ChildBeamMax must be in BeamMax (10)..64, got 9")]
    [InlineData(nameof(AprOptions.Depth), 6, "Depth must be in 0..5, got 6")]
    [InlineData(nameof(AprOptions.MaxChildrenPerSpawn), 0, "MaxChildrenPerSpawn must be in 1..64, got 0")]
    public void Invalid_options_are_rejected_naming_the_value(string field, int value, string message)
    {
        var o = field switch
        {
            nameof(AprOptions.BeamMin) => AprOptions.Paper with { BeamMin = value },
            nameof(AprOptions.ChildBeamMax) => AprOptions.Paper with { ChildBeamMax = value },
            nameof(AprOptions.Depth) => AprOptions.Paper with { Depth = value },
            _ => AprOptions.Paper with { MaxChildrenPerSpawn = value },
        };
        var e = Assert.Throws<ArgumentException>(() => new AprSolver(o));
        Assert.Contains(message, e.Message);
        e = Assert.Throws<ArgumentException>(() => new AprSolver(AprOptions.Paper with { SpawnProbability = -0.1 }));
        Assert.Contains("SpawnProbability must be in [0, 1], got -0.1", e.Message);
    }
}
