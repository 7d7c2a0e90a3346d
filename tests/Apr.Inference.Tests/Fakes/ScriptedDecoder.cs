// ScriptedDecoder: a fake model that knows a set of calls (prompt -> completion). A slot whose history
// starts with a known prompt (the longest that matches) gets logits that put all mass on the next token
// of that call's completion, then EOS. It records every forward, so tests can see what ran together.
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Inference.Tests;

internal sealed class ScriptedDecoder : IDecoder
{
    private readonly List<(int[] Prompt, int[] Script)> _calls = [];
    private readonly List<int>[] _history;
    private readonly int _eos;

    public ScriptedDecoder(TraceTokenizer tokenizer, IEnumerable<(string Prompt, string Completion)> calls, int slots, int maxLength = 8192)
    {
        foreach (var (prompt, completion) in calls)
            _calls.Add(([tokenizer.Bos, .. tokenizer.Encode(prompt)], [.. tokenizer.Encode(completion), tokenizer.Eos]));
        _eos = tokenizer.Eos;
        VocabSize = tokenizer.VocabSize;
        Slots = slots;
        MaxLength = maxLength;
        _history = Enumerable.Range(0, slots).Select(_ => new List<int>()).ToArray();
    }

    public int VocabSize { get; }
    public int Slots { get; }
    public int MaxLength { get; }

    /// <summary>Per forward: the slots in it and each row's history length before the forward.</summary>
    public List<(int Slot, int Start, int Count)[]> Steps { get; } = [];

    public int Length(int slot) => _history[slot].Count;
    public void Truncate(int slot, int length) => _history[slot].RemoveRange(length, _history[slot].Count - length);

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        Steps.Add(rows.Select(r => (r.Slot, _history[r.Slot].Count, r.Tokens.Length)).ToArray());
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

    public void Dispose() { }
}
