// The runtime's incremental form (Start, Step, Cancel: what the server's engine loop drives) against its
// batch form: the same problems give the same records; problems started while others run finish; and a
// cancel at any step frees every cache slot the problem held, a parked parent's included.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class IncrementalRuntimeTests
{
    private static AprRuntime Runtime(int slots = 22) =>
        new(new NullDecoder(TestData.Tokenizer.VocabSize, slots, 2048), TestData.Tokenizer, new SolveOptions(SearchMethod.Apr, Policy: ChoicePolicy.Uniform));

    private static List<SolveItem> Items(int count) =>
        [.. new ProblemGenerator(ProblemDistribution.Paper).Generate(count, 3).Select((p, i) => new SolveItem(p, (ulong)i))];

    private static string Untimed(ProblemRecord r) =>
        System.Text.Json.JsonSerializer.Serialize(r.Calls.Select(c => (c.Thread, c.Call, c.Outcome, c.Completion, c.PromptTokens)).ToList()) + r.TotalTokens + r.Outcome;

    [Fact]
    public void Start_and_Step_give_the_records_Solve_gives_and_a_problem_started_mid_run_finishes()
    {
        var items = Items(6);
        var batch = Runtime().Solve(items);
        var runtime = Runtime();
        var got = new Dictionary<int, ProblemRecord>();
        var tickets = new List<int> { runtime.Start(items[0]), runtime.Start(items[1]) };
        int steps = 0;
        while (runtime.HasWork || tickets.Count < items.Count)
        {
            if (steps++ == 5) for (int i = 2; i < items.Count; i++) tickets.Add(runtime.Start(items[i]));
            foreach (var (ticket, record) in runtime.Step()) got.Add(ticket, record);
        }
        Assert.Equal(items.Count, got.Count);
        for (int i = 0; i < items.Count; i++) Assert.Equal(Untimed(batch[i]), Untimed(got[tickets[i]]));
        Assert.Equal(0, runtime.Engine.SlotsInUse);
    }

    [Fact]
    public void A_cancel_at_any_step_frees_every_slot_the_problem_held()
    {
        var item = Items(1)[0];
        int total = 0;
        var probe = Runtime();
        probe.Start(item);
        while (probe.HasWork) { probe.Step(); total++; }
        for (int at = 1; at < total; at++)
        {
            var runtime = Runtime();
            var progress = new List<RuntimeProgress>();
            runtime.Progress = progress.Add;
            int ticket = runtime.Start(item);
            for (int s = 0; s < at && runtime.HasWork; s++) Assert.Empty(runtime.Step());
            Assert.True(runtime.Cancel(ticket));
            Assert.Equal((0, 0, false), (runtime.Engine.SlotsInUse, runtime.InFlight, runtime.HasWork));
            Assert.False(runtime.Cancel(ticket));
            Assert.Contains(progress, p => p.Ended is null && p.Thread == "0");
        }
    }
}
