// The sampler: greedy, masks, top-k/top-p and masked log-probabilities, worked by hand or by counting.
using Apr.Core;
using Apr.Countdown;

namespace Apr.Inference.Tests;

public sealed class SamplerTests
{
    private static readonly float[] Logits = [0.5f, 2f, -1f, 2f, 1f];

    [Fact]
    public void Greedy_takes_the_largest_logit_and_the_lowest_id_on_ties()
    {
        var rng = new Rng(1);
        Assert.Equal(1, Sampler.Sample(Logits, null, SamplingOptions.Greedy, ref rng).Token);
        Assert.Equal(4, Sampler.Sample(Logits, [0, 2, 4], SamplingOptions.Greedy, ref rng).Token);
        var untouched = new Rng(1);
        Assert.Equal(untouched.NextUInt64(), rng.NextUInt64()); // greedy consumed no randomness
    }

    [Fact]
    public void Masked_log_prob_is_the_log_softmax_over_the_allowed_ids()
    {
        var rng = new Rng(2);
        var (token, lp) = Sampler.Sample(Logits, [2, 4], SamplingOptions.Greedy, ref rng);
        Assert.Equal(4, token);
        double expected = 1 - Math.Log(Math.Exp(1) + Math.Exp(-1));
        Assert.Equal(expected, lp, 5);
    }

    [Fact]
    public void Temperature_one_draws_in_proportion_to_softmax()
    {
        var rng = new Rng(3);
        var counts = new int[Logits.Length];
        const int n = 40_000;
        for (int i = 0; i < n; i++) counts[Sampler.Sample(Logits, null, new SamplingOptions(1.0), ref rng).Token]++;
        double z = Logits.Sum(l => Math.Exp(l));
        for (int v = 0; v < Logits.Length; v++)
            Assert.InRange(counts[v] / (double)n, Math.Exp(Logits[v]) / z - 0.01, Math.Exp(Logits[v]) / z + 0.01);
    }

    [Fact]
    public void Top_k_and_top_p_keep_only_the_best_candidates()
    {
        var rng = new Rng(4);
        var seen = new HashSet<int>();
        for (int i = 0; i < 2000; i++) seen.Add(Sampler.Sample(Logits, null, new SamplingOptions(1.0, TopK: 2), ref rng).Token);
        Assert.Equal([1, 3], seen.Order());
        seen.Clear();
        // probabilities: 2f, 2f hold 2 * 0.355 = 0.71 of the mass, so top-p 0.7 keeps exactly them
        for (int i = 0; i < 2000; i++) seen.Add(Sampler.Sample(Logits, null, new SamplingOptions(1.0, TopP: 0.7), ref rng).Token);
        Assert.Equal([1, 3], seen.Order());
    }

    [Fact]
    public void A_mask_never_lets_a_disallowed_token_through()
    {
        var rng = new Rng(5);
        for (int i = 0; i < 1000; i++)
            Assert.Contains(Sampler.Sample(Logits, [0, 2], new SamplingOptions(2.0), ref rng).Token, new[] { 0, 2 });
    }
}
