// AprRuntime, part 3: the incremental form of the loop, for a caller that runs for a long time and takes
// problems while others are in flight (the server's engine loop). Start admits a problem at once (its
// root call queues in the engine like any other); the caller calls Step, which runs one engine step and
// returns the problems that finished in it, each with the ticket Start gave; Cancel stops a problem and
// frees its cache slots at once. Progress reports every call as it starts and as it ends. Solve (part 1)
// is the batch form of the same loop; the two are not meant to be mixed on one runtime.
// Admission control (how many problems to start) is the caller's: see ProblemsInFlight.
namespace Apr.Inference;

/// <summary>A call of problem <see cref="Ticket"/> started (<see cref="Ended"/> null) or ended (its record).</summary>
public sealed record RuntimeProgress(int Ticket, string Thread, string? Parent, string NodeId, int Call, ThreadCallRecord? Ended);

public sealed partial class AprRuntime
{
    private int _nextTicket;

    /// <summary>Problems started and not yet finished.</summary>
    public int InFlight => _inflight.Count;

    /// <summary>True while a problem is in flight or the engine holds any call (the runtime's or a caller's).</summary>
    public bool HasWork => _inflight.Count > 0 || _engine.HasWork;

    /// <summary>Called (on the stepping thread) when a call starts and when it ends; null: nobody listens.</summary>
    public Action<RuntimeProgress>? Progress { get; set; }

    /// <summary>Starts solving <paramref name="item"/>; returns its ticket (Step returns the record with it).</summary>
    public int Start(SolveItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Sampling?.Validate();
        if (item.Budget is < 1) throw new ArgumentOutOfRangeException(nameof(item), item.Budget, "a budget must be at least 1 token");
        var run = new ProblemRun(item, _nextTicket++, _options.TokenLimitFor(item));
        _inflight.Add(run);
        StartRoot(run);
        return run.Index;
    }

    /// <summary>
    /// One engine step. Returns the problems that finished in it. Calls the engine ended that are not the
    /// runtime's (a caller's own sequences submitted to <see cref="Engine"/>) are added to <paramref name="foreign"/>.
    /// </summary>
    public IReadOnlyList<(int Ticket, ProblemRecord Record)> Step(List<CallSequence>? foreign = null)
    {
        bool progressed = Advance(foreign);
        if (_completed.Count == 0)
        {
            if (!progressed && _inflight.Count > 0)
                throw new InvalidOperationException($"the runtime stalled with {_inflight.Count} problem(s) in flight and no work queued");
            return [];
        }
        var done = new List<(int, ProblemRecord)>(_completed.Count);
        foreach (var (run, record) in _completed)
        {
            _inflight.Remove(run);
            done.Add((run.Index, record));
        }
        _completed.Clear();
        return done;
    }

    /// <summary>Stops problem <paramref name="ticket"/> (its record is dropped) and frees every cache slot it holds. False when it is not in flight.</summary>
    public bool Cancel(int ticket)
    {
        var run = _inflight.Find(r => r.Index == ticket);
        if (run is null) return false;
        if (!run.Done) StopProblem(run, ThreadOutcome.Cancelled, "cancelled by the caller");
        _completed.RemoveAll(c => c.Run == run);
        _inflight.Remove(run);
        return true;
    }
}
