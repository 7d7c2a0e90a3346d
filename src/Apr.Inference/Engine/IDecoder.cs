// IDecoder: the model as the engine sees it: rows of token ids appended to cache slots in, next-token
// logits out. Behind it sit TorchDecoder (the Llama model with its KV cache), the tests' scripted fake
// model and the no-model decoder of the random-choice baseline. It deliberately knows nothing of text,
// threads, sampling or grammars.
namespace Apr.Inference;

/// <summary>One row of a forward step: append <see cref="Tokens"/> to cache slot <see cref="Slot"/>.</summary>
public readonly record struct DecodeRow(int Slot, int[] Tokens);

/// <summary>A cached causal decoder with a fixed number of slots (one live sequence each).</summary>
public interface IDecoder : IDisposable
{
    /// <summary>Size of the logits vector.</summary>
    int VocabSize { get; }

    /// <summary>How many sequences can hold a cache at once (the memory bound).</summary>
    int Slots { get; }

    /// <summary>Longest sequence a slot can hold.</summary>
    int MaxLength { get; }

    /// <summary>Tokens cached in <paramref name="slot"/>.</summary>
    int Length(int slot);

    /// <summary>Keeps the first <paramref name="length"/> tokens of <paramref name="slot"/> (0 empties it).</summary>
    void Truncate(int slot, int length);

    /// <summary>
    /// Appends each row's tokens to its slot and writes the logits after each row's last token into
    /// <paramref name="logits"/> (rows x VocabSize, row-major). Slots are distinct within a call.
    /// </summary>
    void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits);
}
