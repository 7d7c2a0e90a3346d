// TextDecoder: a fake "model" that writes the same text in every call, whatever it was asked: after each
// prompt (a row of more than one token) the greedy choice is the text's next token, then EOS. Unguided,
// it is an adversary that the runtime must contain: spawn floods, blocks naming nodes that do not exist,
// children that spawn again, text that is not the protocol at all.
namespace Apr.Inference.Tests;

internal sealed class TextDecoder(int vocabSize, int slots, int[] text, int eos, int maxLength = 8192) : IDecoder
{
    private readonly int[] _length = new int[slots];
    private readonly int[] _promptEnd = new int[slots];

    public int VocabSize { get; } = vocabSize;
    public int Slots { get; } = slots;
    public int MaxLength { get; } = maxLength;

    public int Length(int slot) => _length[slot];

    public void Truncate(int slot, int length)
    {
        _length[slot] = length;
        _promptEnd[slot] = Math.Min(_promptEnd[slot], length);
    }

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            int slot = rows[i].Slot;
            _length[slot] += rows[i].Tokens.Length;
            if (rows[i].Tokens.Length > 1) _promptEnd[slot] = _length[slot];
            int at = _length[slot] - _promptEnd[slot];
            var row = logits.Slice(i * VocabSize, VocabSize);
            row.Fill(0f);
            row[at < text.Length ? text[at] : eos] = 10f;
        }
    }

    public void Dispose() { }
}
