// RequestGate: the server's admission limits. At most MaxConcurrent requests run; up to MaxQueued more
// wait for a place (in arrival order, as SemaphoreSlim grants them); past that a request is refused at
// once (the endpoint answers 429 with Retry-After). A waiting request that disconnects leaves the queue.
namespace Apr.Serving;

public sealed class RequestGate(int maxConcurrent, int maxQueued)
{
    private readonly SemaphoreSlim _running = new(maxConcurrent, maxConcurrent);
    private int _admitted; // running + waiting

    public int MaxConcurrent { get; } = maxConcurrent;
    public int MaxQueued { get; } = maxQueued;

    /// <summary>Requests holding a running place.</summary>
    public int Running => MaxConcurrent - _running.CurrentCount;

    /// <summary>Requests waiting for a place.</summary>
    public int Waiting => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>A running place (dispose to give it back), or null when the queue is full.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancel)
    {
        if (Interlocked.Increment(ref _admitted) > MaxConcurrent + MaxQueued)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }
        try { await _running.WaitAsync(cancel).ConfigureAwait(false); }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }
        return new Lease(this);
    }

    private sealed class Lease(RequestGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            gate._running.Release();
            Interlocked.Decrement(ref gate._admitted);
        }
    }
}
