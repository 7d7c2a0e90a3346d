// NullDecoder: an IDecoder without a model: every logit is zero. It drives the random-choice policy
// (which ignores logits) through the same engine, so the baseline shares the scheduler, the guards and
// the records with the model runs. Keeps slot lengths so context limits behave the same.
namespace Apr.Inference;

public sealed class NullDecoder(int vocabSize, int slots, int maxLength) : IDecoder
{
    private readonly int[] _lengths = new int[slots];

    public int VocabSize { get; } = vocabSize;
    public int Slots { get; } = slots;
    public int MaxLength { get; } = maxLength;
    public int Length(int slot) => _lengths[slot];
    public void Truncate(int slot, int length) => _lengths[slot] = length;

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (_lengths[row.Slot] + row.Tokens.Length > MaxLength)
                throw new InvalidOperationException($"slot {row.Slot}: {_lengths[row.Slot]} + {row.Tokens.Length} tokens exceed {MaxLength}");
            _lengths[row.Slot] += row.Tokens.Length;
        }
        logits[..(rows.Count * VocabSize)].Clear();
    }

    public void Dispose() { }
}
