// ICallEngine: what the runtime needs from whatever decodes its calls: take calls, step them, say which
// ended. InferenceEngine does it in process over a cached decoder (continuous batching, parked slots for
// a resumed parent); Apr.Remote's RemoteEngine does it over HTTP against vLLM-style servers (each call's
// next decision or text is a /v1/completions request). The runtime's logic (threads, spawn, join, guards,
// records) is the same over either. It deliberately says nothing about how calls are decoded.
namespace Apr.Inference;

public interface ICallEngine
{
    /// <summary>Calls that may decode at once (the runtime sizes its admission by it: AprRuntime.ProblemsInFlight).</summary>
    int Slots { get; }

    /// <summary>Longest sequence (prompt + completion) a call may hold.</summary>
    int MaxLength { get; }

    EngineStats Stats { get; }

    /// <summary>Steps taken so far (the clock of CallSequence.StartStep/EndStep).</summary>
    long StepIndex { get; }

    /// <summary>Milliseconds since the engine was created (the clock of StartMs/EndMs).</summary>
    double ElapsedMs { get; }

    bool HasWork { get; }

    /// <summary>Slots held by running or parked calls.</summary>
    int SlotsInUse { get; }

    /// <summary>Queues a call; higher <paramref name="priority"/> goes first.</summary>
    void Submit(CallSequence seq, int priority = 0);

    /// <summary>Stops a queued or active call (it is not returned by Step) and frees what it holds.</summary>
    void Cancel(CallSequence seq, CallEnd reason = CallEnd.Cancelled);

    /// <summary>Frees what a finished call kept for a resume (its thread will not resume).</summary>
    void ReleaseParked(CallSequence seq);

    /// <summary>One step: advances the calls it can; returns the calls that ended in it.</summary>
    List<CallSequence> Step();
}
