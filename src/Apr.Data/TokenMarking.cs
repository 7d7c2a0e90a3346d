// TokenMarking: which tokens of a call the model chose and which the trace grammar forced.
//
// The guided decoder (reference section 11) tokenizes each line the grammar allows next and walks
// the token trie of those options: where the trie branches the model samples (a "chosen" token),
// where it does not the token is inserted (forced). This file computes the same marking for a stored
// call, so data statistics and the "loss on chosen tokens" option see exactly what guided decoding
// will ask of the model. Prompt tokens are inserted by the runtime and are never chosen; the EOS
// that ends a call is always forced (a thread ends only where the grammar says it must).
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Data;

/// <summary>A call's completion tokens (no BOS/EOS), per token whether the model chose it, and whether it begins a line.</summary>
public sealed record MarkedCompletion(int[] Tokens, bool[] Chosen, bool[] LineStart)
{
    public int ChosenCount => Chosen.Count(c => c);
}

public static class TokenMarking
{
    /// <summary>The grammar settings of a thread of a <paramref name="method"/> trace, from its id ("0", "0.3", ...): its level is its depth.</summary>
    public static GrammarSettings SettingsFor(SearchMethod method, string thread, int aprMaxDepth = 1)
    {
        if (method == SearchMethod.SosPlus) return GrammarSettings.SosPlus;
        var level = thread.Count(c => c == '.');
        return GrammarSettings.AprRoot with { Level = level, MaxDepth = Math.Max(aprMaxDepth, level) };
    }

    /// <summary>Marks every completion token of <paramref name="call"/> (a thread of a <paramref name="method"/> trace); throws ProtocolException if the completion leaves the grammar.</summary>
    public static MarkedCompletion Mark(SearchMethod method, ThreadCall call, TraceTokenizer tokenizer, int aprMaxDepth = 1)
    {
        var grammar = ThreadGrammar.Start(call.Prompt, SettingsFor(method, call.Thread, aprMaxDepth));
        var trie = new LineTrie(tokenizer);
        var tokens = new List<int>(call.Completion.Length / 3);
        var chosen = new List<bool>(call.Completion.Length / 3);
        var lineStart = new List<bool>(call.Completion.Length / 3);
        var lineTokens = new List<int>(32);
        var next = new List<int>();
        var from = 0;
        var text = call.Completion;
        while (from < text.Length)
        {
            var nl = text.IndexOf('\n', from);
            if (nl < 0) throw new ProtocolException(ProtocolErrorKind.MalformedLine, $"the completion's last line has no newline: '{text[from..]}'");
            var line = text.Substring(from, nl - from + 1);
            from = nl + 1;
            lineTokens.Clear();
            tokenizer.Encode(line, lineTokens);
            if (!grammar.IsForced) trie.Start(grammar.Options);
            // The walk guided decoding does: a token is a choice where the allowed lines disagree. A line the
            // grammar does not allow leaves the trie (its remaining tokens are not choices); Advance says why.
            for (var k = 0; k < lineTokens.Count; k++)
            {
                var t = lineTokens[k];
                lineStart.Add(k == 0);
                bool walk = trie.IsOpen && trie.Allows(t);
                if (walk) trie.NextTokens(next);
                tokens.Add(t);
                chosen.Add(walk && next.Count > 1);
                if (walk) trie.Take(t);
            }
            grammar.Advance(line);
        }
        return new MarkedCompletion([.. tokens], [.. chosen], [.. lineStart]);
    }
}
