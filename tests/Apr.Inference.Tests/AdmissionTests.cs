// How many problems the runtime admits at once: SoS+ one per slot; APR only as many as fit with a full
// spawn each, so children never wait for a slot held by another problem's root nor evict parked parents.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class AdmissionTests
{
    [Fact]
    public void Apr_admits_as_many_problems_as_their_widest_spawns_fit()
    {
        var tokenizer = TestData.Tokenizer;
        Assert.Equal(5, new AprRuntime(new NullDecoder(tokenizer.VocabSize, 64, 2048), tokenizer, new SolveOptions(SearchMethod.Apr)).ProblemsInFlight);
        Assert.Equal(64, new AprRuntime(new NullDecoder(tokenizer.VocabSize, 64, 2048), tokenizer, new SolveOptions(SearchMethod.SosPlus)).ProblemsInFlight);
        Assert.Equal(1, new AprRuntime(new NullDecoder(tokenizer.VocabSize, 8, 2048), tokenizer, new SolveOptions(SearchMethod.Apr)).ProblemsInFlight);
        Assert.Equal(7, new AprRuntime(new NullDecoder(tokenizer.VocabSize, 64, 2048), tokenizer, new SolveOptions(SearchMethod.Apr, MaxConcurrentProblems: 7)).ProblemsInFlight);
    }

    [Fact]
    public void Apr_problems_overlap_no_more_than_admitted_and_no_parent_is_evicted()
    {
        var tokenizer = TestData.Tokenizer;
        var runtime = new AprRuntime(new NullDecoder(tokenizer.VocabSize, 22, 4096), tokenizer, new SolveOptions(SearchMethod.Apr, Policy: ChoicePolicy.Uniform));
        var problems = new ProblemGenerator(ProblemDistribution.Paper).Generate(30, 8);
        var records = runtime.Solve(problems.Select((p, i) => new SolveItem(p, (ulong)i)).ToList());
        Assert.True(records.Sum(r => r.Children) > 30, "the random policy should spawn");
        var spans = records.Select(r => (Start: r.Calls.Min(c => c.StartStep), End: r.Calls.Max(c => c.EndStep))).ToList();
        long last = spans.Max(s => s.End);
        for (long step = 0; step <= last; step++)
            Assert.True(spans.Count(s => s.Start <= step && step < s.End) <= 2, $"more than 2 problems live at step {step}");
        Assert.Equal(0, runtime.Engine.Stats.Evictions);
    }
}
