// CallEnd: why one call (one engine sequence) stopped decoding.
namespace Apr.Inference;

public enum CallEnd
{
    /// <summary>Still running (or queued).</summary>
    None,
    /// <summary>Guided: the grammar says the call is over (finished, or a spawn block awaiting its join); EOS inserted.</summary>
    Grammar,
    /// <summary>Unguided: the model sampled EOS.</summary>
    Eos,
    /// <summary>Unguided: the text ended with a stop string.</summary>
    StopString,
    /// <summary>The next token would pass the call's context limit; the call ends as failed.</summary>
    ContextLimit,
    /// <summary>The next token would pass the problem's token allowance (its budget); the problem stops unsolved.</summary>
    TokenLimit,
    /// <summary>Stopped from outside (a guard of the runtime: tokens, time, a failed sibling's problem).</summary>
    Cancelled,
    /// <summary>Plain calls: the model sampled one of PlainOptions.StopTokens.</summary>
    StopToken,
    /// <summary>The decoder failed for this call (a remote server, after retries); CallSequence.Error says why.</summary>
    Failed,
}
