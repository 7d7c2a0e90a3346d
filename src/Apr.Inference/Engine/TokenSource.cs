// TokenSource and ThreadToken: where every token of a thread came from, as a type, so RL can train on
// sampled tokens only (prompts, forced spans and join blocks are inserted by the runtime).
namespace Apr.Inference;

/// <summary>Who wrote a token.</summary>
public enum TokenSource
{
    /// <summary>Part of the prompt the runtime gave the call (root prompt, child prompt, join prompt).</summary>
    Prompt,
    /// <summary>Inserted by the runtime during the call: a span the grammar forces, or the closing EOS.</summary>
    Inserted,
    /// <summary>Chosen by the model (or the random policy) from its (masked) distribution.</summary>
    Sampled,
}

/// <summary>
/// One completion token. <see cref="LogProb"/> is log p(token) under the distribution it was drawn from
/// at temperature 1 (masked to the grammar's choices when guided); 0 for inserted tokens.
/// </summary>
public readonly record struct ThreadToken(int Id, TokenSource Source, float LogProb);
