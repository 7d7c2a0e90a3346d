// Learning-rate schedule and length-bucketed batching: known answers and invariants.
using Apr.Core;

namespace Apr.Training.Tests;

public sealed class SchedulesAndBatchesTests
{
    [Fact]
    public void Schedule_warms_up_linearly_then_decays_by_cosine_to_the_minimum()
    {
        var s = new LrSchedule(Peak: 1.0, Min: 0.1, WarmupSteps: 4, TotalSteps: 14);
        Assert.Equal(0.25, s.At(0), 12);
        Assert.Equal(1.0, s.At(3), 12);
        Assert.Equal(1.0, s.At(4), 12); // start of decay
        Assert.Equal(0.55, s.At(9), 12); // halfway: min + (peak - min) / 2
        Assert.Equal(0.1, s.At(14), 12);
    }

    [Fact]
    public void Every_sequence_is_in_exactly_one_batch_per_epoch_within_the_budget()
    {
        var rng = new Rng(7);
        var lengths = Enumerable.Range(0, 500).Select(_ => rng.NextInt(5, 300)).ToList();
        var batches = new BucketedBatches(lengths, 1024, seed: 3);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var plan = batches.Epoch(epoch);
            Assert.Equal(Enumerable.Range(0, 500), plan.SelectMany(b => b).Order());
            Assert.All(plan, b => Assert.True(b.Length * b.Max(i => lengths[i]) <= 1024, $"batch over budget: {b.Length} x {b.Max(i => lengths[i])}"));
            Assert.True(batches.PaddingFraction(epoch) < 0.05, $"padding {batches.PaddingFraction(epoch):P1}");
        }
        Assert.NotEqual(batches.Epoch(0)[0], batches.Epoch(1)[0]);
        var again = new BucketedBatches(lengths, 1024, seed: 3);
        Assert.Equal(batches.Epoch(1).Select(b => string.Join(",", b)), again.Epoch(1).Select(b => string.Join(",", b)));
    }
}
