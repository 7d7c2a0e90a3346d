// EngineStats: counters the engine keeps while it runs, for benchmarks and reports. Plain data.
namespace Apr.Inference;

public sealed class EngineStats
{
    /// <summary>Steps that ran a forward.</summary>
    public long Steps { get; internal set; }

    /// <summary>Rows over all steps (mean rows per step = Rows / Steps).</summary>
    public long Rows { get; internal set; }

    /// <summary>Calls that were runnable (active or queued) at each step, summed.</summary>
    public long Live { get; internal set; }

    /// <summary>Tokens appended to the cache (prefill and decode).</summary>
    public long TokensFed { get; internal set; }

    /// <summary>Prompt tokens served from a parked cache slot instead of recomputed.</summary>
    public long TokensReused { get; internal set; }

    /// <summary>Parked slots taken back for queued calls.</summary>
    public long Evictions { get; internal set; }

    /// <summary>Wall time inside IDecoder.Forward.</summary>
    public double ForwardMs { get; internal set; }

    /// <summary>Wall time inside Step (forward, sampling, grammar, scheduling).</summary>
    public double StepMs { get; internal set; }

    public double MeanRowsPerStep => Steps == 0 ? 0 : (double)Rows / Steps;

    /// <summary>Mean of rows / runnable calls over steps: 1 means nothing runnable ever waited.</summary>
    public double RowsPerLive => Live == 0 ? 0 : (double)Rows / Live;
}
