// CallFraming: how one call (a thread's prompt and its completion) becomes tokens: BOS + prompt, then
// completion + EOS. The one place that framing is written: training sequences, the runtime's prompts,
// the scripted decoder and the cost of a finished trace go through it, so they cannot disagree about
// what a call holds. A resumed call's shared prefix is the protocol's business (TraceCost, the runtime).
namespace Apr.Tokenization;

public static class CallFraming
{
    /// <summary>BOS + the prompt's tokens: what a call starts from.</summary>
    public static int[] EncodePrompt(this TraceTokenizer tokenizer, string prompt)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>(prompt.Length / 3 + 4) { tokenizer.Bos };
        tokenizer.Encode(prompt, ids);
        return [.. ids];
    }

    /// <summary>The completion's tokens + EOS: what a finished call wrote.</summary>
    public static int[] EncodeCompletion(this TraceTokenizer tokenizer, string completion)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>(completion.Length / 3 + 4);
        tokenizer.Encode(completion, ids);
        ids.Add(tokenizer.Eos);
        return [.. ids];
    }

    /// <summary>BOS + prompt + completion + EOS; <paramref name="promptLength"/> counts BOS + prompt.</summary>
    public static int[] EncodeCall(this TraceTokenizer tokenizer, string prompt, string completion, out int promptLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new List<int>((prompt.Length + completion.Length) / 3 + 4) { tokenizer.Bos };
        tokenizer.Encode(prompt, ids);
        promptLength = ids.Count;
        tokenizer.Encode(completion, ids);
        ids.Add(tokenizer.Eos);
        return [.. ids];
    }

    /// <summary>Tokens of <see cref="EncodePrompt"/>, counted without allocating.</summary>
    public static int PromptLength(this TraceTokenizer tokenizer, ReadOnlySpan<char> prompt) => 1 + tokenizer.CountTokens(prompt);

    /// <summary>Tokens of <see cref="EncodeCompletion"/>, counted without allocating.</summary>
    public static int CompletionLength(this TraceTokenizer tokenizer, ReadOnlySpan<char> completion) => tokenizer.CountTokens(completion) + 1;
}
