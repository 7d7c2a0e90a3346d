// TestServers: an `apr serve` app in process on a TestServer (no socket), with an HttpClient and the
// server's state (engine loop, gate, metrics) for assertions; plus small helpers the tests share.
// The default is the no-model enumerate policy on 16 slots: the whole HTTP and runtime path, in
// milliseconds, with answers that verify.
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Apr.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Apr.Serving.Tests;

internal sealed class TestServerApp : IAsyncDisposable
{
    private TestServerApp(WebApplication app)
    {
        App = app;
        State = app.Services.GetRequiredService<ServerState>();
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }
    public ServerState State { get; }
    public HttpClient Client { get; }

    public static ServeOptions NoModel => new() { Policy = ChoicePolicy.Enumerate, Threads = 1, Slots = 16 };

    public static async Task<TestServerApp> StartAsync(ServeOptions? options = null)
    {
        var app = ServerApp.Build(options ?? NoModel, configure: b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return new TestServerApp(app);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken cancel = default) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancel);

    public async Task<(int Status, JsonObject Body)> PostAsync(string path, string json)
    {
        using var response = await PostJsonAsync(path, json);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Waits (up to 10 s) until the engine holds no work and no cache slot: the loop applies cancels on its own thread.</summary>
    public async Task WaitIdleAsync()
    {
        for (int i = 0; i < 200 && (State.Loop.WorkInFlight > 0 || State.Loop.SlotsInUse > 0 || State.Gate.Running > 0); i++) await Task.Delay(50);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal static class Sse
{
    /// <summary>The JSON payloads of an SSE body, and whether it ended with [DONE].</summary>
    public static (List<JsonObject> Chunks, bool Done) Parse(string body)
    {
        var chunks = new List<JsonObject>();
        bool done = false;
        foreach (var line in body.Split('\n'))
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var data = line["data: ".Length..];
            if (data == "[DONE]") done = true;
            else chunks.Add(JsonNode.Parse(data)!.AsObject());
        }
        return (chunks, done);
    }
}
