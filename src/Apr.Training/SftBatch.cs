// One micro-batch as tensors: inputs, targets and per-target weights, right-padded (pad id, weight 0).
using static TorchSharp.torch;

namespace Apr.Training;

/// <summary>Ids (B, T), targets (B, T) and weights (B, T) of a micro-batch. Owns its tensors.</summary>
public sealed class SftBatch : IDisposable
{
    private SftBatch(Tensor ids, Tensor targets, Tensor weights, long tokens, double weightSum)
    {
        Ids = ids;
        Targets = targets;
        Weights = weights;
        Tokens = tokens;
        WeightSum = weightSum;
    }

    public Tensor Ids { get; }
    public Tensor Targets { get; }
    public Tensor Weights { get; }

    /// <summary>Real (unpadded) input tokens.</summary>
    public long Tokens { get; }

    /// <summary>Sum of the target weights: the loss's denominator share of this batch.</summary>
    public double WeightSum { get; }

    /// <summary>Pads the sequences to the longest and stacks them.</summary>
    public static SftBatch From(IReadOnlyList<SftSequence> sequences, int pad)
    {
        int rows = sequences.Count, width = sequences.Max(s => s.Length);
        var ids = new long[rows * width];
        var targets = new long[rows * width];
        var weights = new float[rows * width];
        Array.Fill(ids, pad);
        Array.Fill(targets, pad);
        long tokens = 0;
        double weightSum = 0;
        for (int r = 0; r < rows; r++)
        {
            var s = sequences[r];
            for (int t = 0; t < s.Length; t++)
            {
                ids[r * width + t] = s.Tokens[t];
                targets[r * width + t] = s.Tokens[t + 1];
                weights[r * width + t] = s.Weights[t];
                weightSum += s.Weights[t];
            }
            tokens += s.Length;
        }
        return new SftBatch(
            tensor(ids).view(rows, width), // (B, T)
            tensor(targets).view(rows, width), // (B, T)
            tensor(weights).view(rows, width), // (B, T)
            tokens, weightSum);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Targets.Dispose();
        Weights.Dispose();
    }
}
