// ChosenTokens: the loss mask "only the decisions": a completion token weighs 1 where guided decoding
// would sample it (the trie of the grammar's allowed lines branches there) and 0 where the grammar
// forces it; prompt tokens and the EOS (always forced) weigh 0. The marking is Apr.Data's
// TokenMarking, the same one the engine's guided decoder produces.
using Apr.Data;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Training;

public static class ChosenTokens
{
    /// <summary>A weighting that trains only the chosen completion tokens; the grammar allows each call's record depth (at least <paramref name="aprMaxDepth"/>).</summary>
    public static TokenWeighting Weighting(TraceTokenizer? tokenizer = null, int aprMaxDepth = 1)
    {
        var tok = tokenizer ?? TraceTokenizer.Default;
        return (call, tokens, promptTokens) =>
        {
            var marked = TokenMarking.Mark(call.Method, call.Call, tok, Math.Max(aprMaxDepth, call.Depth));
            var w = new float[tokens.Count - 1];
            if (marked.Tokens.Length != w.Length - promptTokens - 1)
                throw new InvalidOperationException($"{call.File}: record {call.Line}, thread {call.Thread}: {marked.Tokens.Length} marked tokens for {w.Length - promptTokens - 1} completion tokens");
            for (var k = 0; k < marked.Chosen.Length; k++)
                if (marked.Chosen[k]) w[promptTokens + k] = 1f;
            return w;
        };
    }
}
