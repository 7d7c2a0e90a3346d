// HashDecoder: a fake "model" whose logits are a fixed pseudo-random function of the slot's whole token
// history: deterministic, cheap, and (like a real model) independent of what else is in the batch.
using Apr.Core;
using Apr.Countdown;
using Apr.Inference;

namespace Apr.Inference.Tests;

internal sealed class HashDecoder(int vocabSize, int slots, int maxLength = 8192) : IDecoder
{
    private readonly List<int>[] _history = Enumerable.Range(0, slots).Select(_ => new List<int>()).ToArray();

    public int VocabSize { get; } = vocabSize;
    public int Slots { get; } = slots;
    public int MaxLength { get; } = maxLength;
    public int MaxRows { get; private set; }
    public long Forwards { get; private set; }

    public int Length(int slot) => _history[slot].Count;
    public void Truncate(int slot, int length) => _history[slot].RemoveRange(length, _history[slot].Count - length);

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        MaxRows = Math.Max(MaxRows, rows.Count);
        Forwards++;
        for (int i = 0; i < rows.Count; i++)
        {
            var h = _history[rows[i].Slot];
            if (h.Count + rows[i].Tokens.Length > MaxLength) throw new InvalidOperationException("slot overflow");
            h.AddRange(rows[i].Tokens);
            ulong key = 0;
            foreach (var t in h) key = Rng.Mix(key, (ulong)t);
            var rng = new Rng(key);
            for (int v = 0; v < VocabSize; v++) logits[i * VocabSize + v] = (float)(rng.NextDouble() * 4);
        }
    }

    public void Dispose() { }
}
