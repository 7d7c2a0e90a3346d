// PlainOptions: what a plain language-model call (CallSequence.Plain, the server's /v1/completions) adds
// to unguided sampling: a fixed set of tokens it may draw from (vLLM's allowed_token_ids), token ids that
// end it (stop_token_ids), stop strings, and how many of the most likely tokens to report per position
// (logprobs). Plain immutable data; the engine does not know HTTP.
namespace Apr.Inference;

/// <summary>
/// <see cref="AllowedTokens"/>: null = the whole vocabulary. <see cref="StopTokens"/>: a sampled token in
/// this set ends the call (CallEnd.StopToken; the token is kept in Tokens, not in the text).
/// <see cref="TopLogprobs"/>: 0 = none, else that many (id, log-prob) pairs per sampled token.
/// </summary>
public sealed record PlainOptions(
    IReadOnlyList<int>? AllowedTokens = null,
    IReadOnlyCollection<int>? StopTokens = null,
    IReadOnlyList<string>? StopStrings = null,
    int TopLogprobs = 0)
{
    public static PlainOptions None { get; } = new();
}
