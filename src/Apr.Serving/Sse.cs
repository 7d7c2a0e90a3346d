// Sse: server-sent events as the OpenAI API streams them: "data: {json}\n\n" per chunk, flushed at once,
// and "data: [DONE]\n\n" at the end.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Apr.Serving;

internal static class Sse
{
    public static async Task StartAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.Body.FlushAsync().ConfigureAwait(false);
    }

    public static async Task WriteAsync(HttpResponse response, JsonNode data, CancellationToken cancel)
    {
        await response.WriteAsync("data: " + data.ToJsonString() + "\n\n", cancel).ConfigureAwait(false);
        await response.Body.FlushAsync(cancel).ConfigureAwait(false);
    }

    public static async Task DoneAsync(HttpResponse response, CancellationToken cancel)
    {
        await response.WriteAsync("data: [DONE]\n\n", cancel).ConfigureAwait(false);
        await response.Body.FlushAsync(cancel).ConfigureAwait(false);
    }
}
