// ChosenTokens: the loss mask "only the decisions": a completion token weighs 1 where guided decoding
// would sample it (the trie of the grammar's allowed lines branches there) and 0 where the grammar
// forces it; prompt tokens and the EOS (always forced) weigh 0. The marking is Apr.Data's
// TokenMarking, the same one the engine's guided decoder produces.
//
// The root's line decisions may weigh more (`apr train --root-decision-weight W`): a chosen token that begins
// a line of the root call (thread "0") is where the root picks what to do next — explore another successor,
// move into one (serial search) or call sub-searches (spawn) — and it is the only thread that reads the
// budget prefix. Those are a handful of tokens among hundreds of chosen ones per trace, so with weight 1 the
// loss barely sees the choice a budget-aware model has to get right (issue 11, attempt 5).
using Apr.Data;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Training;

public static class ChosenTokens
{
    /// <summary>
    /// A weighting that trains only the chosen completion tokens; the grammar allows each call's record depth (at
    /// least <paramref name="aprMaxDepth"/>); a chosen token that begins a line of the root call weighs
    /// <paramref name="rootDecisionWeight"/>.
    /// </summary>
    public static TokenWeighting Weighting(TraceTokenizer? tokenizer = null, int aprMaxDepth = 1, float rootDecisionWeight = 1f)
    {
        if (!(rootDecisionWeight > 0 && float.IsFinite(rootDecisionWeight)))
            throw new ArgumentOutOfRangeException(nameof(rootDecisionWeight), rootDecisionWeight, "the root decision weight must be a positive finite number");
        var tok = tokenizer ?? TraceTokenizer.Default;
        return (call, tokens, promptTokens) =>
        {
            var marked = TokenMarking.Mark(call.Method, call.Call, tok, Math.Max(aprMaxDepth, call.Depth));
            var w = new float[tokens.Count - 1];
            if (marked.Tokens.Length != w.Length - promptTokens - 1)
                throw new InvalidOperationException($"{call.File}: record {call.Line}, thread {call.Thread}: {marked.Tokens.Length} marked tokens for {w.Length - promptTokens - 1} completion tokens");
            var root = call.Call.Parent is null;
            for (var k = 0; k < marked.Chosen.Length; k++)
                if (marked.Chosen[k]) w[promptTokens + k] = root && marked.LineStart[k] ? rootDecisionWeight : 1f;
            return w;
        };
    }
}
