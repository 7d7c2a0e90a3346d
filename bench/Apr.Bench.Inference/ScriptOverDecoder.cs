// ScriptOverDecoder: runs the real model (so every forward costs what it costs) but replaces its logits
// with a one-hot on the next token of a known call, so guided and unguided runs, with and without prefix
// reuse, write the very same reference trees and their timings compare like for like.
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Bench.Inference;

internal sealed class ScriptOverDecoder : IDecoder
{
    private readonly IDecoder _inner;
    private readonly List<(int[] Prompt, int[] Script)> _calls = [];
    private readonly List<int>[] _history;
    private readonly int _eos;

    public ScriptOverDecoder(IDecoder inner, TraceTokenizer tokenizer, IEnumerable<(string Prompt, string Completion)> calls)
    {
        _inner = inner;
        foreach (var (prompt, completion) in calls)
            _calls.Add(([tokenizer.Bos, .. tokenizer.Encode(prompt)], [.. tokenizer.Encode(completion), tokenizer.Eos]));
        _eos = tokenizer.Eos;
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
            logits[i * VocabSize + Next(h)] = 10f;
        }
    }

    private int Next(List<int> history)
    {
        (int[] Prompt, int[] Script)? best = null;
        foreach (var call in _calls)
            if (call.Prompt.Length <= history.Count && (best is null || call.Prompt.Length > best.Value.Prompt.Length)
                && history.Take(call.Prompt.Length).SequenceEqual(call.Prompt))
                best = call;
        if (best is null) return _eos;
        int at = history.Count - best.Value.Prompt.Length;
        return at < best.Value.Script.Length ? best.Value.Script[at] : _eos;
    }

    public void Dispose() => _inner.Dispose();
}
