// The .NET API: AprChatClient (an IChatClient over the in-process engine loop) answers and streams thread
// events; and the standard OpenAI IChatClient of Microsoft.Extensions.AI.OpenAI works against the server
// unchanged, giving the answer the in-process client gives.
using System.ClientModel;
using System.ClientModel.Primitives;
using Apr.Inference;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Apr.Serving.Tests;

public sealed class ChatClientTests
{
    private const string Problem = "Reach 27 from 22, 26, 31, 53";

    [Fact]
    public async Task The_in_process_client_answers_with_a_verified_answer_reasoning_and_usage()
    {
        using IChatClient client = AprChatClient.Create(TestServerApp.NoModel);
        var response = await client.GetResponseAsync(Problem, new ChatOptions { Seed = 3 });
        Assert.EndsWith("= 27", response.Text);
        Assert.Contains(response.Messages[0].Contents, c => c is TextReasoningContent r && r.Text.Contains("[thread 0.0]", StringComparison.Ordinal));
        var records = Assert.IsType<ProblemRecord[]>(response.RawRepresentation);
        Assert.True(records[0].Correct);
        Assert.Equal(records[0].TotalTokens, response.Usage!.TotalTokenCount);

        var sosp = await client.GetResponseAsync("Reach 24 from 4, 6, 8, 2", new ChatOptions { ModelId = "sosp", AdditionalProperties = new() { [AprChatClient.SamplesKey] = 3 } });
        Assert.Equal(3, ((ProblemRecord[])sosp.RawRepresentation!).Length);
        Assert.EndsWith("= 24", sosp.Text);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("Reach 27 from 22"));
    }

    [Fact]
    public async Task The_in_process_client_streams_thread_events_then_the_answer()
    {
        using IChatClient client = AprChatClient.Create(TestServerApp.NoModel);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(Problem)) updates.Add(u);
        Assert.True(updates.Count > 3);
        Assert.Contains("call_start", (string)updates[0].AdditionalProperties!["apr_event"]!);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        var response = updates.ToChatResponse();
        Assert.EndsWith("= 27", response.Text);
    }

    [Fact]
    public async Task The_OpenAI_IChatClient_works_against_the_server_and_agrees_with_the_in_process_client()
    {
        await using var server = await TestServerApp.StartAsync();
        using IChatClient remote = new OpenAIClient(new ApiKeyCredential("unused"),
                new OpenAIClientOptions { Endpoint = new Uri(server.Client.BaseAddress!, "/v1"), Transport = new HttpClientPipelineTransport(server.Client) })
            .GetChatClient("apr").AsIChatClient();
        var options = new ChatOptions { Seed = 11, Temperature = 0 };
        var viaHttp = await remote.GetResponseAsync(Problem, options);
        using IChatClient local = new AprChatClient(server.State.Loop);
        var inProcess = await local.GetResponseAsync(Problem, options);
        Assert.Equal(inProcess.Text, viaHttp.Text);
        Assert.Equal(inProcess.Usage!.TotalTokenCount, viaHttp.Usage!.TotalTokenCount);

        var streamed = new System.Text.StringBuilder();
        await foreach (var u in remote.GetStreamingResponseAsync(Problem, options)) streamed.Append(u.Text);
        Assert.Equal(viaHttp.Text, streamed.ToString());
    }
}
