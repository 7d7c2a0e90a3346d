// ServerState: what every endpoint shares: the options, the engine loop, the admission gate and the
// metrics. One instance per server (a DI singleton). Holds no request state.
namespace Apr.Serving;

public sealed class ServerState(ServeOptions options, EngineLoop loop)
{
    public ServeOptions Options { get; } = options;
    public EngineLoop Loop { get; } = loop;
    public RequestGate Gate { get; } = new(options.MaxConcurrentRequests, options.MaxQueuedRequests);
    public ServerMetrics Metrics { get; } = new();

    /// <summary>The model a request names (null: "apr"); 404 with code model_not_found when it is not served.</summary>
    public ServedModel Model(string? id)
    {
        id ??= "apr";
        return Loop.Find(id) ?? throw new ApiError(404, $"the model '{id}' does not exist; this server has {string.Join(", ", Loop.Models.Select(m => m.Id))}", "model", "model_not_found");
    }

    /// <summary>A running place, or 429 (Retry-After: 1) when the queue is full.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancel) =>
        await Gate.EnterAsync(cancel).ConfigureAwait(false)
        ?? throw new ApiError(429, $"the server is busy: {Gate.MaxConcurrent} requests running and {Gate.MaxQueued} waiting (--max-concurrent, --max-queue); retry later", null, "queue_full", "rate_limit_error") { RetryAfter = 1 };
}
