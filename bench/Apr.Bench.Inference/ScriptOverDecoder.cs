// ScriptOverDecoder: runs the real model (so every forward costs what it costs) but replaces its logits
// with a one-hot on the next token of a known call, so guided and unguided runs, with and without prefix
// reuse, write the very same reference trees and their timings compare like for like.
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Bench.Inference;

internal sealed class ScriptOverDecoder : IDecoder
{
    private readonly IDecoder _inner;
    private readonly CallScript _script;
    private readonly List<int>[] _history;

    public ScriptOverDecoder(IDecoder inner, TraceTokenizer tokenizer, IEnumerable<(string Prompt, string Completion)> calls)
    {
        _inner = inner;
        _script = new CallScript(tokenizer, calls);
        _history = Enumerable.Range(0, inner.Slots).Select(_ => new List<int>()).ToArray();
    }

    public int VocabSize => _inner.VocabSize;
    public int Slots => _inner.Slots;
    public int MaxLength => _inner.MaxLength;
    public int Length(int slot) => _inner.Length(slot);

    public void Truncate(int slot, int length)
    {
        _inner.Truncate(slot, length);
        _history[slot].RemoveRange(length, _history[slot].Count - length);
    }

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        _inner.Forward(rows, logits);
        logits[..(rows.Count * VocabSize)].Fill(-10f);
        for (int i = 0; i < rows.Count; i++)
        {
            var h = _history[rows[i].Slot];
            h.AddRange(rows[i].Tokens);
            logits[i * VocabSize + _script.Next(h)] = 10f;
        }
    }

    public void Dispose() => _inner.Dispose();
}
