// TraceCost (Apr.Data) counts a finished trace tree the way the runtime counts a run. Cross-check: replay
// reference trees and symbolic SoS+ traces through the runtime with a scripted model and compare the
// record's figures with TraceCost's on the same tree: two independent countings must agree.
using Apr.Data;
using Apr.Search;
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class TraceCostTests
{
    private static readonly GuardOptions Wide = new(MaxChildrenPerSpawn: 64, MaxSpawnsPerProblem: 64, ContextPerThread: 8192);

    private static void AssertSameCounts(IReadOnlyList<Apr.Protocol.ThreadCall> calls, ProblemRecord record, string what)
    {
        var cost = TraceCost.Of(calls, TestData.Tokenizer);
        Assert.True(record.TotalTokens == cost.TotalTokens, $"{what}: total {record.TotalTokens} vs {cost.TotalTokens}");
        Assert.True(record.SequentialTokens == cost.SequentialTokens, $"{what}: sequential {record.SequentialTokens} vs {cost.SequentialTokens}");
        Assert.True(record.MaxCallTokens == cost.LongestCall, $"{what}: longest {record.MaxCallTokens} vs {cost.LongestCall}");
        Assert.Equal(record.Children, cost.Children);
        Assert.Equal(record.Spawns, cost.Spawns);
    }

    [Fact]
    public void Apr_trees_cost_what_the_runtime_counts_when_it_replays_them()
    {
        int withChildren = 0;
        for (int i = 0; i < 20; i++)
        {
            var reference = TestData.ReferenceApr[i];
            var decoder = new ScriptedDecoder(TestData.Tokenizer, reference.Calls.Select(c => (c.Prompt, c.Completion)), 32);
            var runtime = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Guards: Wide));
            var record = runtime.Solve(new Apr.Countdown.CountdownProblem(reference.Id, reference.Target, reference.Nums), 7);
            AssertSameCounts(reference.Calls, record, $"reference tree {i}");
            if (record.Children > 0)
            {
                withChildren++;
                Assert.True(record.SequentialTokens < record.TotalTokens);
            }
        }
        Assert.True(withChildren >= 5, $"only {withChildren} trees had children");
    }

    [Fact]
    public void A_serial_trace_costs_its_one_call()
    {
        var problems = new Apr.Countdown.ProblemGenerator(Apr.Countdown.ProblemDistribution.Paper).Generate(5, 4);
        var solver = new SosPlusSolver();
        for (int i = 0; i < problems.Count; i++)
        {
            var trace = solver.Solve(problems[i], 9, i).Trace;
            var decoder = new ScriptedDecoder(TestData.Tokenizer, trace.Calls.Select(c => (c.Prompt, c.Completion)), 4);
            var runtime = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(SearchMethod.SosPlus, Guards: Wide));
            var record = runtime.Solve(problems[i], 7);
            AssertSameCounts(trace.Calls, record, $"SoS+ trace {i}");
            var call = trace.Calls[0];
            int completion = TestData.Tokenizer.CountTokens(call.Completion) + 1;
            Assert.Equal(completion, TraceCost.Of(trace.Calls, TestData.Tokenizer).SequentialTokens);
            Assert.Equal(1 + TestData.Tokenizer.CountTokens(call.Prompt) + completion, TraceCost.Of(trace.Calls, TestData.Tokenizer).TotalTokens);
        }
    }
}
