// RemoteBackend: the servers a session decodes on (IEngineSource), and the one place requests go out.
// Routing: every call of a problem goes to one server (prefix locality: the server's prefix cache holds
// that problem's threads), chosen by rendezvous hashing of the problem over the URL list, so adding or
// losing a server moves only its own problems. A server that refuses connections or times out is marked
// down for BackendOptions.DownFor and its problems move to their next server; 5xx and 429 are retried on
// the same server after a backoff (Retry-After honoured). A request that still fails, or gets an answer
// that can never succeed (4xx), throws BackendException with one line naming the server and the error.
// Hashes are explicit arithmetic (FNV-1a and Rng.Mix), never GetHashCode, so routing is the same in
// every process. It does not know calls, grammars or problems beyond their affinity string.
using System.Net;
using System.Net.Http.Headers;
using Apr.Core;
using Apr.Inference;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Remote;

public sealed class RemoteBackend : IEngineSource, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Server[] _servers;

    /// <summary>One server and when it may be tried again after a connection failure.</summary>
    internal sealed class Server(Uri url)
    {
        private long _downUntil;

        public Uri Url { get; } = url;
        public ulong Key { get; } = Fnv(url.ToString());
        public long Requests;

        public bool IsUp(long now) => Interlocked.Read(ref _downUntil) <= now;
        public void Down(long until) => Interlocked.Exchange(ref _downUntil, until);
        public void Up() => Interlocked.Exchange(ref _downUntil, 0);
    }

    public RemoteBackend(BackendOptions options)
    {
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _servers = [.. options.Servers.Select(u => new Server(u))];
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each request has its own (BackendOptions.Timeout)
        };
    }

    public BackendOptions Options { get; }

    public RemoteStats Stats { get; } = new();

    public string Describe => _servers.Length == 1 ? $"the server {_servers[0].Url}" : $"{_servers.Length} servers ({string.Join(", ", _servers.Select(s => s.Url))})";

    /// <summary>Requests answered per server, in the order given.</summary>
    public IReadOnlyList<(Uri Url, long Requests)> RequestsPerServer => [.. _servers.Select(s => (s.Url, Interlocked.Read(ref s.Requests)))];

    ICallEngine IEngineSource.NewEngine(TraceTokenizer tokenizer, int context, int slots, SearchMethod method) => NewEngine(tokenizer, context, slots, method);

    /// <summary>An engine whose requests name <see cref="BackendOptions.Model"/>, else the method's wire name.</summary>
    public RemoteEngine NewEngine(TraceTokenizer tokenizer, int context, int slots, SearchMethod method) =>
        new(this, tokenizer, context, slots, Options.Model ?? method.WireName());

    /// <summary>The servers in the order <paramref name="affinity"/> prefers them (rendezvous hashing; null: the first server first).</summary>
    internal Server[] Order(string? affinity)
    {
        if (affinity is null || _servers.Length == 1) return _servers;
        ulong key = Fnv(affinity);
        return [.. _servers.OrderByDescending(s => Rng.Mix(key, s.Key)).ThenBy(s => s.Url.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every server loads the weights in <paramref name="modelDirectory"/> (POST /update_weights_from_disk, SGLang's
    /// shape; apr serve has it; the servers must see the same file system). Throws BackendException naming the
    /// first server that did not confirm.
    /// </summary>
    public void Reload(string modelDirectory, SearchMethod method)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["model_path"] = Path.GetFullPath(modelDirectory),
            ["model"] = Options.Model ?? method.WireName(),
        });
        var replies = _servers.Select(s => PostAsync([s], body, CancellationToken.None, "update_weights_from_disk")).ToArray();
        try { Task.WaitAll(replies); }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is BackendException)) { throw e.InnerExceptions[0]; }
        for (int i = 0; i < replies.Length; i++)
            if (!Wire.Confirmed(replies[i].Result))
                throw new BackendException($"{_servers[i].Url} did not confirm the reload of {modelDirectory}: {Wire.ErrorMessage(replies[i].Result)}");
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> (default /v1/completions) of the first live server of <paramref name="order"/>, with retries; the answer's bytes.</summary>
    internal async Task<byte[]> PostAsync(Server[] order, byte[] body, CancellationToken cancel, string path = "v1/completions")
    {
        string last = "";
        for (int attempt = 0; ; attempt++)
        {
            var server = Pick(order);
            TimeSpan? retryAfter = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                timeout.CancelAfter(Options.Timeout);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = Json;
                using var response = await _http.PostAsync(new Uri(server.Url, path), content, timeout.Token).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                Stats.Request(body.Length, bytes.Length);
                Interlocked.Increment(ref server.Requests);
                int status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    server.Up();
                    return bytes;
                }
                last = $"{server.Url} answered HTTP {status}: {Wire.ErrorMessage(bytes)}";
                if (status != (int)HttpStatusCode.TooManyRequests && status < 500)
                {
                    Stats.Failed();
                    throw new BackendException(last);
                }
                retryAfter = RetryAfter(response);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                last = $"{server.Url} did not answer within {Options.Timeout.TotalSeconds:0.#} s";
                server.Down(Environment.TickCount64 + (long)Options.DownFor.TotalMilliseconds);
            }
            catch (HttpRequestException e)
            {
                last = $"{server.Url}: {OneLine(e)}";
                server.Down(Environment.TickCount64 + (long)Options.DownFor.TotalMilliseconds);
            }
            if (attempt >= Options.Retries)
            {
                Stats.Failed();
                throw new BackendException($"{last} (gave up after {attempt + 1} attempts)");
            }
            Stats.Retry();
            // A server that is gone: move on at once if another is up. Busy or failing: wait, then try again.
            var delay = retryAfter ?? (order.Any(s => s != server && s.IsUp(Environment.TickCount64)) && !server.IsUp(Environment.TickCount64) ? TimeSpan.Zero : Backoff(attempt));
            if (delay > TimeSpan.Zero) await Task.Delay(delay, cancel).ConfigureAwait(false);
        }
    }

    private Server Pick(Server[] order)
    {
        long now = Environment.TickCount64;
        foreach (var s in order)
            if (s.IsUp(now)) return s;
        return order[0]; // every server is down: try the preferred one again
    }

    private TimeSpan Backoff(int attempt)
    {
        double ms = Math.Min(Options.MaxBackoff.TotalMilliseconds, Options.Backoff.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(ms * (0.5 + 0.5 * Random.Shared.NextDouble())); // jitter: only timing, never results
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null) return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Options.MaxRetryAfter ? Options.MaxRetryAfter : wait;
    }

    private static string OneLine(Exception e)
    {
        var message = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.ReplaceLineEndings(" ");
    }

    /// <summary>FNV-1a over the string's UTF-16 code units, finished with SplitMix64.</summary>
    internal static ulong Fnv(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text) h = (h ^ c) * 1099511628211UL;
        return Rng.SplitMix64(ref h);
    }

    public void Dispose() => _http.Dispose();
}
