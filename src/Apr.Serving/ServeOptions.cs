// ServeOptions: how `apr serve` runs: where it listens, which models it loads (or a no-model policy), how
// the shared engine is sized, and the limits every request meets. Plain immutable data with one Validate;
// each limit has a default and a command-line option (README, "apr serve").
using Apr.Inference;

namespace Apr.Serving;

/// <summary>
/// <see cref="AprModel"/>: the APR model directory (null: $APR_MODEL or the shipped models/apr).
/// <see cref="SospModel"/>: a SoS+ model, served as "sosp" only when given. <see cref="Policy"/>: a no-model
/// line policy (enumerate, random, uniform) serves both "apr" and "sosp" without loading anything.
/// </summary>
public sealed record ServeOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8000;
    public string? AprModel { get; init; }
    public string? SospModel { get; init; }
    public ChoicePolicy Policy { get; init; } = ChoicePolicy.Model;

    /// <summary>Torch CPU threads (0: every core).</summary>
    public int Threads { get; init; }

    /// <summary>KV-cache slots per model: threads decoded at once across all requests.</summary>
    public int Slots { get; init; } = InferenceDefaults.Slots;

    /// <summary>Tokens per thread (0: the default, capped by the model).</summary>
    public int Context { get; init; }

    /// <summary>Requests running at once; more wait in the queue.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>Requests waiting for a running place; past it the server answers 429 with Retry-After.</summary>
    public int MaxQueuedRequests { get; init; } = 256;

    /// <summary>Largest request body (413 past it).</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Largest n (samples or completions per request).</summary>
    public int MaxN { get; init; } = 16;

    /// <summary>An OTLP collector to export each solved problem's trace to (OtlpExport); null: none.</summary>
    public string? OtlpEndpoint { get; init; }
    /// <summary>Largest 'logprobs' of a completion (vLLM's --max-logprobs; its default, 20, too).</summary>
    public int MaxLogprobs { get; init; } = 20;

    /// <summary>
    /// The value guide the APR model is decoded with, given its conditioning (its manifest's value_model): the CLI's
    /// --value-model or the manifest's link; a null answer: none. Null: the manifest's link (ValueGuide.Linked).
    /// Called once, with the model loaded.
    /// </summary>
    public Func<ModelConditioning, ValueGuide?>? AprValue { get; init; }

    /// <summary>How long SIGTERM waits for requests in flight before the server exits.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ServeOptions Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "a port is 0..65535");
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException("the host is empty", nameof(Host));
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "need at least one slot");
        if (MaxConcurrentRequests < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequests), MaxConcurrentRequests, "must be at least 1");
        if (MaxQueuedRequests < 0) throw new ArgumentOutOfRangeException(nameof(MaxQueuedRequests), MaxQueuedRequests, "must be >= 0");
        if (MaxBodyBytes < 64) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "must be at least 64 bytes");
        if (MaxLogprobs < 0) throw new ArgumentOutOfRangeException(nameof(MaxLogprobs), MaxLogprobs, "must be >= 0");
        if (MaxN < 1) throw new ArgumentOutOfRangeException(nameof(MaxN), MaxN, "must be at least 1");
        if (OtlpEndpoint is not null && Apr.Telemetry.OtlpExport.Check(OtlpEndpoint) is { } why) throw new ArgumentException(why, nameof(OtlpEndpoint));
        if (DrainTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "must be >= 0");
        return this;
    }
}
