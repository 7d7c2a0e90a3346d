// BatchMemory: a lower estimate of the bytes one training micro-batch needs, checked against MemoryBudget
// before the first step so that `--batch-tokens 10000000` is refused with the figure instead of allocating
// until the process dies. Counts float32 logits with their softmax and gradient (3 x vocab per token), the
// activations each layer keeps for backward (about 10 x hidden + 4 x intermediate per token) and the
// weights with AdamW's two moments and the gradient (4 x parameters); not attention scores, allocator
// slack or bfloat16 savings, so real use is higher.
using Apr.Model;

namespace Apr.Training;

public static class BatchMemory
{
    /// <summary>Estimated bytes of a training step over <paramref name="tokens"/> padded tokens.</summary>
    public static double Bytes(ModelConfig config, long tokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        double perToken = 3.0 * config.VocabSize + config.NumHiddenLayers * (10.0 * config.HiddenSize + 4.0 * config.IntermediateSize);
        return 4.0 * (tokens * perToken + 4.0 * config.ParameterCount);
    }

    /// <summary>Refuses a micro-batch of <paramref name="tokens"/> over the memory budget, naming <paramref name="option"/>.</summary>
    public static void Check(ModelConfig config, long tokens, string option) =>
        MemoryBudget.Check($"{option} {tokens:N0}: a training micro-batch of {tokens:N0} tokens (vocab {config.VocabSize:N0}, {config.NumHiddenLayers} layers, hidden {config.HiddenSize})",
            Bytes(config, tokens));
}
