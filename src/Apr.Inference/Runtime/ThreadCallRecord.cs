// ThreadCallRecord: one call of one thread as it ran: its prompt and completion (text and tagged
// tokens), how it ended and when (engine steps and milliseconds since the problem started).
namespace Apr.Inference;

/// <summary>
/// <see cref="PromptTokens"/> counts BOS + prompt; <see cref="SharedPrefixTokens"/> of them repeat the
/// thread's previous call (a resumed parent: counted once in the problem's total);
/// <see cref="ReusedCacheTokens"/> of them were served from the cache rather than recomputed.
/// <see cref="Tokens"/> is the completion (closing EOS included), each tagged sampled or inserted.
/// </summary>
public sealed record ThreadCallRecord(
    string Thread,
    string? Parent,
    int Call,
    int Level,
    string NodeId,
    string Prompt,
    string Completion,
    int PromptTokens,
    int SharedPrefixTokens,
    int ReusedCacheTokens,
    IReadOnlyList<ThreadToken> Tokens,
    ThreadOutcome Outcome,
    string? Detail,
    long StartStep,
    long EndStep,
    double StartMs,
    double EndMs,
    int Forwards)
{
    /// <summary>Children this call started (a spawn the runtime admitted), 0 otherwise; they are the thread's next child ids, in order.</summary>
    public int SpawnedChildren { get; init; }

    /// <summary>The prompt's token ids as the model saw them (BOS first).</summary>
    public IReadOnlyList<int> PromptIds { get; init; } = [];

    /// <summary>Per sampled token, in order: the ids it was drawn among (null: the whole vocabulary). See CallSequence.Choices.</summary>
    public IReadOnlyList<int[]?> Choices { get; init; } = [];

    /// <summary>Per sampled token, beside <see cref="Choices"/>: the value's addition to each choice's logit, or null (none). See CallSequence.ChoiceBias.</summary>
    public IReadOnlyList<float[]?> ChoiceBias { get; init; } = [];

    public int SampledTokens => Tokens.Count(t => t.Source == TokenSource.Sampled);
    public int InsertedTokens => Tokens.Count(t => t.Source == TokenSource.Inserted);

    /// <summary>False when the prompt did not fit (context or budget) and the call ended before it held a token.</summary>
    public bool Started { get; init; } = true;

    /// <summary>The counts the cost figures are made of (CallCost); a call that never started held nothing.</summary>
    public Apr.Protocol.CallShape Shape => Started
        ? new(Thread, PromptTokens, SharedPrefixTokens, Tokens.Count, SpawnedChildren)
        : new(Thread, 0, 0, Tokens.Count, SpawnedChildren);

    /// <summary>Tokens this call adds to the problem's total: new prompt tokens plus the completion.</summary>
    public int NewTokens => PromptTokens - SharedPrefixTokens + Tokens.Count;
}
