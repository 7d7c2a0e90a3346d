// ServerApp: `apr serve` as an ASP.NET Core app on Kestrel: the routes (/health, /v1/models, /metrics,
// /v1/chat/completions, /v1/completions, and the live thread view at / (ViewEndpoints)), the admission and size limits, one log line per request, and
// OpenAI-style errors for everything that goes wrong (a bug is a 500 with a one-line message; the stack
// trace goes to the log only). The engine loop is built once here and shared by every request; on
// SIGTERM the host stops taking requests, waits up to the drain timeout for those in flight, then the
// loop is stopped (cancelling what is left) and the models are freed.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Apr.Serving;

public static class ServerApp
{
    /// <summary>HttpContext.Items key of a request's (prompt, completion) token counts, for its log line.</summary>
    internal const string UsageKey = "apr.usage";

    /// <summary>
    /// The app over <paramref name="models"/> (loaded from <paramref name="options"/> when null; the app
    /// owns and disposes them). <paramref name="configure"/> adjusts the builder (tests: a TestServer).
    /// </summary>
    public static WebApplication Build(ServeOptions options, IReadOnlyList<ServedModel>? models = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; c.UseUtcTimestamp = true; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        configure?.Invoke(builder);
        var tracing = options.OtlpEndpoint is { } otlp ? Apr.Telemetry.OtlpExport.Start(otlp) : null;
        var loop = new EngineLoop(models ?? ServedModel.LoadAll(options));
        var state = new ServerState(options, loop);
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(loop.Dispose);
        if (tracing is not null) app.Lifetime.ApplicationStopped.Register(tracing.Dispose); // flushes the last traces
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("apr.serve");
        app.Use((ctx, next) => Guard(ctx, next, state, log));
        app.MapGet("/health", () => Results.Json(new JsonObject { ["status"] = "ok", ["models"] = new JsonArray([.. loop.Models.Select(m => (JsonNode)m.Id)]) }));
        app.MapGet("/v1/models", () => Results.Text(ModelsJson(loop).ToJsonString(), "application/json"));
        app.MapGet("/metrics", () => Results.Text(state.Metrics.Render(state.Gate, loop), "text/plain; version=0.0.4"));
        app.MapPost("/v1/chat/completions", ctx => ChatEndpoint.HandleAsync(ctx, state));
        app.MapPost("/v1/completions", ctx => CompletionsEndpoint.HandleAsync(ctx, state));
        ViewEndpoints.Map(app);
        app.MapPost("/update_weights_from_disk", ctx => ReloadAsync(ctx, state, log));
        app.MapFallback(ctx => throw new ApiError(404, $"no route {ctx.Request.Method} {ctx.Request.Path}: the server has GET / (the live thread view), /health, /v1/models, /metrics and POST /v1/chat/completions, /v1/completions, /update_weights_from_disk", null, "not_found"));
        return app;
    }

    /// <summary>
    /// POST /update_weights_from_disk, SGLang's shape: {"model_path": DIR, "model"?: id} loads DIR's weights into
    /// the served model (same config) and answers {"success": true, "message", "num_paused_requests"}: the
    /// requests it ended (with a 503 to retry). A trainer calls it after each update (apr rl --backend).
    /// </summary>
    private static async Task ReloadAsync(HttpContext ctx, ServerState state, ILogger log)
    {
        var body = await JsonRequest.ReadObjectAsync(ctx.Request, state.Options.MaxBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
        var path = JsonRequest.String(body, "model_path") ?? throw ApiError.BadRequest("'model_path' is required: the directory holding config.json and model.safetensors", "model_path");
        var model = state.Model(JsonRequest.String(body, "model"));
        int ended = await state.Loop.ReloadAsync(model, path).ConfigureAwait(false);
        log.LogInformation("reloaded the weights of {Model} from {Path}; {Ended} request(s) ended to be retried", model.Id, path, ended);
        await Results.Json(new JsonObject { ["success"] = true, ["message"] = $"model '{model.Id}' now runs the weights of {path}", ["num_paused_requests"] = ended }).ExecuteAsync(ctx).ConfigureAwait(false);
    }

    /// <summary>Runs the server until SIGTERM / Ctrl+C; prints where it listens to <paramref name="output"/>.</summary>
    public static async Task RunAsync(ServeOptions options, TextWriter output, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var app = Build(options);
        await app.StartAsync(cancel).ConfigureAwait(false);
        var models = string.Join(", ", app.Services.GetRequiredService<ServerState>().Loop.Models.Select(m => $"{m.Id} ({m.Session.ModelDirectory ?? m.Policy.ToString().ToLowerInvariant() + " policy"})"));
        output.WriteLine($"apr serve: listening on {string.Join(", ", app.Urls)}; models: {models}");
        output.Flush();
        await app.WaitForShutdownAsync(cancel).ConfigureAwait(false);
        output.WriteLine("apr serve: stopped");
    }

    private static JsonObject ModelsJson(EngineLoop loop)
    {
        var data = new JsonArray();
        foreach (var m in loop.Models)
        {
            var manifest = m.Manifest?.DeepClone() as JsonObject;
            manifest?.Remove("files");
            data.Add(new JsonObject
            {
                ["id"] = m.Id,
                ["object"] = "model",
                ["created"] = 0,
                ["owned_by"] = "apr",
                ["method"] = m.Method.ToString() == "Apr" ? "apr" : "sosp",
                ["policy"] = m.Policy.ToString().ToLowerInvariant(),
                ["max_model_len"] = m.Session.Context,
                ["slots"] = m.Session.Slots,
                ["model_directory"] = m.Session.ModelDirectory,
                ["value_model"] = m.Value?.Source,
                ["value_weight"] = m.Value?.Weight,
                ["value_exact_upto"] = m.Value?.ExactUpTo,
                ["value_revisit"] = m.Value?.Revisit,
                ["value_widen"] = m.Value?.Widen?.ToString(), // `--value-widen T:W`, a trial (null: off)
                ["value_model_by_size"] = m.Value is { BySize.Count: > 0 } v ? new JsonObject(v.BySize.Select(kv => KeyValuePair.Create(kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)kv.Value.Source))) : null,
                ["manifest"] = manifest,
            });
        }
        return new JsonObject { ["object"] = "list", ["data"] = data };
    }

    /// <summary>Errors as OpenAI error objects, never stack traces; one log line per request.</summary>
    private static async Task Guard(HttpContext ctx, Func<Task> next, ServerState state, ILogger log)
    {
        var clock = Stopwatch.StartNew();
        string endpoint = ctx.Request.Path.Value ?? "/";
        int? gone = null; // the client went away: logged as 499 (nginx's "client closed request")
        try { await next().ConfigureAwait(false); }
        catch (ApiError e) { await WriteError(ctx, e).ConfigureAwait(false); }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException) { gone = 499; }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            await WriteError(ctx, new ApiError(503, "the server is shutting down", null, "shutting_down", "server_error")).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.LogError(e, "{Method} {Path}: internal error", ctx.Request.Method, endpoint);
            await WriteError(ctx, new ApiError(500, $"internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}", null, "internal_error", "server_error")).ConfigureAwait(false);
        }
        finally
        {
            int status = gone ?? ctx.Response.StatusCode;
            var (prompt, completion) = ctx.Items.TryGetValue(UsageKey, out var u) && u is (long p, long c) ? (p, c) : (0L, 0L);
            if (endpoint.StartsWith("/v1/", StringComparison.Ordinal) || endpoint is "/health" or "/metrics") state.Metrics.Request(Known(endpoint), status);
            log.LogInformation("{Method} {Path} {Status} {Ms:F0} ms, {Prompt} prompt + {Completion} completion tokens",
                ctx.Request.Method, endpoint, status, clock.Elapsed.TotalMilliseconds, prompt, completion);
        }
    }

    private static string Known(string path) => path is "/health" or "/metrics" or "/v1/models" or "/v1/chat/completions" or "/v1/completions" ? path : "other";

    private static async Task WriteError(HttpContext ctx, ApiError e)
    {
        if (ctx.Response.HasStarted)
        {
            // A stream already under way: say so in the stream, then end it.
            try { await Sse.WriteAsync(ctx.Response, e.ToJson(), CancellationToken.None).ConfigureAwait(false); } catch (IOException) { }
            return;
        }
        ctx.Response.StatusCode = e.Status;
        if (e.RetryAfter is { } seconds) ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(e.ToJson().ToJsonString()).ConfigureAwait(false);
    }
}
