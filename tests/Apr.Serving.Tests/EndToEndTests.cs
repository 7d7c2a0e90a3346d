// The real thing: `apr serve` started as a process (dotnet apr.dll, built beside the tests) on a free
// loopback port; a client talks to it over TCP (health, a chat with the OpenAI client, a completion), then
// SIGTERM while a request is running: that request still gets its answer (the drain), and the server exits
// with code 0. No model (the enumerate policy) keeps it to seconds. The drain may wait 30 s and the test waits for
// the request to run before the SIGTERM: on a loaded machine (CI runs test assemblies side by side) both take seconds.
using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Apr.Testing;
using OpenAI;
using OpenAI.Chat;

namespace Apr.Serving.Tests;

[Slow]
public sealed class EndToEndTests
{
    [Fact]
    public async Task The_apr_serve_process_answers_over_http_and_exits_cleanly_on_SIGTERM()
    {
        int port = FreePort();
        var apr = Path.Combine(AppContext.BaseDirectory, "apr.dll");
        Assert.True(File.Exists(apr), $"{apr} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { apr, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--policy", "enumerate", "--threads", "1", "--slots", "16", "--drain-seconds", "30" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            for (int i = 0; i < 300 && !stdout.Any(l => l.Contains("listening", StringComparison.Ordinal)) && !process.HasExited; i++) await Task.Delay(100);
            Assert.True(stdout.Any(l => l.Contains($"http://127.0.0.1:{port}", StringComparison.Ordinal)), $"no listening line; stdout: {string.Join("\n", stdout)}; stderr: {string.Join("\n", stderr)}");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.Contains("\"ok\"", await http.GetStringAsync("/health"));
            var chat = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(http.BaseAddress, "/v1") }).GetChatClient("apr");
            ChatCompletion answer = await chat.CompleteChatAsync(new UserChatMessage("Reach 27 from 22, 26, 31, 53"));
            Assert.EndsWith("= 27", answer.Content[0].Text);
            using var completion = await http.PostAsync("/v1/completions", new StringContent("""{"prompt":"Current State: ","max_tokens":4}"""));
            Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
            Assert.Equal(4, (int)JsonNode.Parse(await completion.Content.ReadAsStringAsync())!["usage"]!["completion_tokens"]!);

            // A long request (8 samples of a hard problem), then SIGTERM while it runs.
            var running = http.PostAsync("/v1/chat/completions", new StringContent("""{"n":8,"messages":[{"role":"user","content":"Reach 997 from 3, 7, 11, 13, 17, 19"}]}"""));
            // Wait until it runs (seconds on a loaded machine): a SIGTERM before that would close its connection unanswered.
            bool isRunning = false;
            for (int i = 0; i < 750 && !(isRunning = (await http.GetStringAsync("/metrics")).Contains("apr_requests_running 1", StringComparison.Ordinal)); i++) await Task.Delay(20);
            Assert.True(isRunning, "the long request never showed as running in /metrics");
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var drained = await running;
            Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
            Assert.Equal(8, JsonNode.Parse(await drained.Content.ReadAsStringAsync())!["choices"]!.AsArray().Count);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains(stdout, l => l.Contains("apr serve: stopped", StringComparison.Ordinal));
            Assert.Contains(stderr.Concat(stdout), l => l.Contains("POST /v1/chat/completions 200", StringComparison.Ordinal));
            Assert.DoesNotContain(stderr.Concat(stdout), l => l.Contains("   at ", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
