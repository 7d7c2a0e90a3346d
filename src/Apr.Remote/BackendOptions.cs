// BackendOptions: which servers decode and how hard to try: the server URLs (vLLM, SGLang or `apr serve`,
// all speaking /v1/completions with token ids), the served model's name, the per-request time-out, and
// retries with exponential backoff on connection errors, time-outs, 5xx and 429 (Retry-After honoured).
// Plain immutable data with one Validate and the parser of `--backend URL[,URL...]`.
namespace Apr.Remote;

public sealed record BackendOptions
{
    /// <summary>Server base URLs (http://host:port); /v1/completions is appended.</summary>
    public IReadOnlyList<Uri> Servers { get; init; } = [];

    /// <summary>The "model" field of every request (null: the method's wire name, apr or sosp; start vLLM with --served-model-name to match).</summary>
    public string? Model { get; init; }

    /// <summary>How long one request may take before it counts as failed (and is retried).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries of one request after the first attempt.</summary>
    public int Retries { get; init; } = 4;

    /// <summary>The first backoff; it doubles per retry (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest Retry-After honoured (a server asking for more gets this).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a server that failed to connect or answer is skipped by the problems routed to it.</summary>
    public TimeSpan DownFor { get; init; } = TimeSpan.FromSeconds(10);

    public BackendOptions Validate()
    {
        if (Servers.Count == 0) throw new ArgumentException("no backend servers: give at least one URL");
        foreach (var s in Servers)
            if (!s.IsAbsoluteUri || s.Scheme is not ("http" or "https"))
                throw new ArgumentException($"backend '{s}' is not an http(s) URL");
        if (Servers.Select(s => s.ToString()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != Servers.Count)
            throw new ArgumentException($"a backend URL is listed twice: {string.Join(",", Servers)}");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "must be positive");
        if (Retries < 0) throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "must be >= 0");
        if (Backoff < TimeSpan.Zero || MaxBackoff < Backoff) throw new ArgumentOutOfRangeException(nameof(Backoff), Backoff, "must be >= 0 and at most MaxBackoff");
        return this;
    }

    /// <summary>Parses "URL[,URL...]"; a bad entry is an ArgumentException naming it.</summary>
    public static IReadOnlyList<Uri> ParseServers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
                throw new ArgumentException($"--backend: '{part}' is not an http(s) URL such as http://127.0.0.1:8000");
            servers.Add(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"));
        }
        if (servers.Count == 0) throw new ArgumentException($"--backend: no URL in '{text}'");
        return servers;
    }
}
