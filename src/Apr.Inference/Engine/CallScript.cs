// CallScript: replays known calls token by token, the "model" behind scripted decoders (the tests' fake
// decoder; the inference benchmark's decoder that runs the real model but writes known reference trees, so
// timings compare like for like). It knows a set of calls (prompt -> completion); given a slot's token
// history, the next token is the next one of the call whose prompt is the longest prefix of that history,
// then EOS (EOS also when no known prompt matches). It does not sample and knows nothing of the protocol.
using Apr.Tokenization;

namespace Apr.Inference;

/// <summary>The next token of a known call for a token history (BOS, prompt, what was written so far).</summary>
public sealed class CallScript
{
    private readonly List<(int[] Prompt, int[] Script)> _calls = [];
    private readonly int _eos;

    public CallScript(TraceTokenizer tokenizer, IEnumerable<(string Prompt, string Completion)> calls)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(calls);
        foreach (var (prompt, completion) in calls)
            _calls.Add((tokenizer.EncodePrompt(prompt), tokenizer.EncodeCompletion(completion)));
        _eos = tokenizer.Eos;
    }

    /// <summary>The scripted next token after <paramref name="history"/> (BOS, prompt and what was written so far).</summary>
    public int Next(IReadOnlyList<int> history)
    {
        (int[] Prompt, int[] Script)? best = null;
        foreach (var call in _calls)
            if (call.Prompt.Length <= history.Count && (best is null || call.Prompt.Length > best.Value.Prompt.Length)
                && history.Take(call.Prompt.Length).SequenceEqual(call.Prompt))
                best = call;
        if (best is null) return _eos;
        var at = history.Count - best.Value.Prompt.Length;
        return at < best.Value.Script.Length ? best.Value.Script[at] : _eos;
    }
}
