// ScriptedDecoder: a fake model that knows a set of calls (prompt -> completion). A slot whose history
// starts with a known prompt (the longest that matches) gets logits that put all mass on the next token
// of that call's completion, then EOS. It records every forward, so tests can see what ran together.
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Inference.Tests;

internal sealed class ScriptedDecoder : IDecoder
{
    private readonly CallScript _script;
    private readonly List<int>[] _history;

    public ScriptedDecoder(TraceTokenizer tokenizer, IEnumerable<(string Prompt, string Completion)> calls, int slots, int maxLength = 8192)
    {
        _script = new CallScript(tokenizer, calls);
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
            logits[i * VocabSize + _script.Next(h)] = 10f;
        }
    }

    public void Dispose() { }
}
