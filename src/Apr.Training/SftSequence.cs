// A tokenized training sequence and its per-target weights.
namespace Apr.Training;

/// <summary>Tokens (BOS + prompt + completion + EOS) and one weight per target (Tokens.Length - 1).</summary>
public sealed record SftSequence(int[] Tokens, float[] Weights)
{
    /// <summary>Inputs/targets per row: Tokens.Length - 1.</summary>
    public int Length => Tokens.Length - 1;
}
