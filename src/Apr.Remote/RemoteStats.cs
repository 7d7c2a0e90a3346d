// RemoteStats: what talking to the servers cost, for summaries and the benchmark: requests, retries,
// failed requests, bytes each way, and where the client's time went (building and reading requests vs
// waiting for answers). Thread-safe counters (requests complete on the thread pool).
namespace Apr.Remote;

public sealed class RemoteStats
{
    private long _requests, _retries, _failed, _sent, _received, _waitTicks, _clientTicks;

    public long Requests => Interlocked.Read(ref _requests);
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests that failed for good (after retries, or a permanent error): each fails its problem.</summary>
    public long FailedRequests => Interlocked.Read(ref _failed);
    public long BytesSent => Interlocked.Read(ref _sent);
    public long BytesReceived => Interlocked.Read(ref _received);

    /// <summary>Time the stepping thread blocked waiting for answers.</summary>
    public TimeSpan Waiting => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>Time the stepping thread spent in the engine otherwise (grammar, building requests, reading answers, sampling).</summary>
    public TimeSpan Client => TimeSpan.FromTicks(Interlocked.Read(ref _clientTicks));

    internal void Request(long sent, long received)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _sent, sent);
        Interlocked.Add(ref _received, received);
    }

    internal void Retry() => Interlocked.Increment(ref _retries);
    internal void Failed() => Interlocked.Increment(ref _failed);
    internal void Wait(TimeSpan t) => Interlocked.Add(ref _waitTicks, t.Ticks);
    internal void ClientTime(TimeSpan t) => Interlocked.Add(ref _clientTicks, t.Ticks);

    public override string ToString() =>
        $"{Requests:N0} requests ({Retries:N0} retries, {FailedRequests:N0} failed), {BytesSent / 1e6:F1} MB sent, {BytesReceived / 1e6:F1} MB received";
}
