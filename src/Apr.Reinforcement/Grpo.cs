// Grpo: the arithmetic of group-relative policy optimization (reference section 7), free of models and
// files so it can be tested by hand: rewards, group-normalized advantages, and the per-token clipped
// surrogate with the k3 KL estimator, as torch expressions over one micro-batch of sampled tokens.
using static TorchSharp.torch;

namespace Apr.Reinforcement;

public static class Grpo
{
    /// <summary>
    /// The reward of one rollout: 1 if its answer verifies, else 0; minus <paramref name="latencyWeight"/>
    /// per 1,000 sequential tokens (the latency-aware option; 0 = the paper's reward).
    /// </summary>
    public static double Reward(bool correct, long sequentialTokens, double latencyWeight) =>
        (correct ? 1.0 : 0.0) - latencyWeight * sequentialTokens / 1000.0;

    /// <summary>(r - mean) / (std + 1e-10) within one group (population standard deviation, as numpy's default).</summary>
    public static double[] Advantages(IReadOnlyList<double> rewards)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.Count == 0) return [];
        double mean = rewards.Average();
        double std = Math.Sqrt(rewards.Sum(r => (r - mean) * (r - mean)) / rewards.Count);
        return rewards.Select(r => (r - mean) / (std + 1e-10)).ToArray();
    }

    /// <summary>
    /// Per-token loss: −min(ρA, clip(ρ, 1−ε, 1+ε)A) + β·k3, with ρ = exp(logp − old) and
    /// k3 = exp(ref − logp) − (ref − logp) − 1 (Schulman's estimator of KL(policy ‖ reference), ≥ 0).
    /// Also returns k3 and whether each token was clipped, for metrics.
    /// </summary>
    public static (Tensor Loss, Tensor Kl, Tensor Clipped) TokenLoss(Tensor logp, Tensor oldLogp, Tensor refLogp, Tensor advantage, double epsilon, double beta)
    {
        var ratio = (logp - oldLogp).exp();
        var unclipped = ratio * advantage;
        var clipped = ratio.clamp(1 - epsilon, 1 + epsilon) * advantage;
        var surrogate = minimum(unclipped, clipped);
        var diff = refLogp - logp;
        var kl = diff.exp() - diff - 1;
        return (-surrogate + beta * kl, kl, unclipped.gt(clipped));
    }
}
