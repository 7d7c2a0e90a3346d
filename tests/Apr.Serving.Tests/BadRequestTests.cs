// The table of bad requests: each gets the status and OpenAI error object the table says (a one-line
// message naming what was expected, never a stack trace), and the server keeps serving afterwards.
using System.Net;
using System.Text.Json.Nodes;

namespace Apr.Serving.Tests;

public sealed class BadRequestTests
{
    private const string Chat = "/v1/chat/completions", Completions = "/v1/completions";

    private static string User(string content) => new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }) }.ToJsonString();

    public static TheoryData<string, string, int, string?, string> Table() => new()
    {
        // path, body, status, param, a phrase of the message
        { Chat, "{\"messages\": [", 400, null, "not valid JSON" },
        { Chat, "[1,2]", 400, null, "must be a JSON object" },
        { Chat, "{\"n\":1,\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 400, null, "not valid JSON" },
        { Chat, "", 400, null, "empty" },
        { Chat, "{}", 400, "messages", "'messages' is required" },
        { Chat, "{\"messages\":[]}", 400, "messages", "'messages' is empty" },
        { Chat, "{\"messages\":\"Reach 27 from 1, 2\"}", 400, "messages", "must be an array" },
        { Chat, "{\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}", 400, "messages", "no user message" },
        { Chat, "{\"messages\":[{\"role\":\"user\",\"content\":42}]}", 400, "messages[0].content", "a string or an array of text parts" },
        { Chat, "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 404, "model", "'gpt-4' does not exist" },
        { Chat, "{\"model\":7,\"messages\":[]}", 400, "model", "'model' must be a string" },
        { Chat, "{\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 400, "temperature", "'temperature' must be a number" },
        { Chat, "{\"n\":\"two\",\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 400, "n", "'n' must be an integer" },
        { Chat, "{\"n\":99,\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 400, "n", "1..16" },
        { Chat, "{\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 400, "max_tokens", "'max_tokens' must be an integer" },
        { Chat, "{\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]}", 400, "stream", "true or false" },
        { Chat, User("hello there"), 400, "messages", "names no problem" },
        { Chat, User("Reach 27 from"), 400, "messages", "0 numbers are out of range" },
        { Chat, User("Reach 27 from 22"), 400, "messages", "1 number is out of range" },
        { Chat, User("Reach 27 from 1, 2, 3, 4, 5, 6, 7"), 400, "messages", "7 numbers are out of range" },
        { Chat, User("Reach 27 from 22, 2000000"), 400, "messages", "number 2000000 is out of range" },
        { Chat, User("Reach 100000000000000000000000 from 1, 2"), 400, "messages", "too large" },
        { Chat, User("Reach 0 from 1, 2"), 400, "messages", "target 0 is out of range" },
        { Chat, User("{\"target\":27,\"nums\":\"22,26\"}"), 400, "messages", "'nums' must be an array" },
        { Chat, User("{\"target\":27,\"target\":28,\"nums\":[1,2]}"), 400, "messages", "not valid JSON" },
        { Chat, User("{\"target\":1e40,\"nums\":[1,2]}"), 400, "messages", "must be an integer" },
        { Completions, "{}", 400, "prompt", "'prompt' is required" },
        { Completions, "{\"prompt\":{}}", 400, "prompt", "a string or an array of token ids" },
        { Completions, "{\"prompt\":[1,99999]}", 400, "prompt[1]", "an integer in 0..1,299" },
        { Completions, "{\"prompt\":[]}", 400, "prompt", "must not be empty" },
        { Completions, "{\"prompt\":\"a\",\"max_tokens\":0}", 400, "max_tokens", "an integer in 1.." },
        { Completions, "{\"prompt\":\"a\",\"stop\":5}", 400, "stop", "a string or an array of strings" },
        { Completions, "{\"prompt\":\"a\",\"logprobs\":21}", 400, "logprobs", "0..20" },
        { Completions, "{\"prompt\":\"a\",\"allowed_token_ids\":[]}", 400, "allowed_token_ids", "must not be empty" },
        { Completions, "{\"prompt\":\"a\",\"top_p\":0}", 400, "top_p", "'top_p' must be a number in (0, 1], got 0" },
        { Completions, "{\"prompt\":\"a\",\"model\":\"llama\"}", 404, "model", "does not exist" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task A_bad_request_gets_its_status_and_an_error_object_naming_what_was_expected(string path, string body, int status, string? param, string phrase)
    {
        await using var server = await TestServerApp.StartAsync();
        var (got, json) = await server.PostAsync(path, body);
        Assert.Equal(status, got);
        var error = json["error"]!.AsObject();
        var message = (string)error["message"]!;
        Assert.Contains(phrase, message);
        Assert.DoesNotContain("\n", message);
        Assert.DoesNotContain("   at ", message);
        Assert.Equal(param, (string?)error["param"]);
        Assert.NotNull((string?)error["type"]);
        Assert.True(error.ContainsKey("code"));
        var (ok, _) = await server.PostAsync(Chat, User("Reach 27 from 22, 26, 31, 53"));
        Assert.Equal(200, ok);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        await using var server = await TestServerApp.StartAsync(TestServerApp.NoModel with { MaxBodyBytes = 1000 });
        var (status, json) = await server.PostAsync(Chat, User("Reach 27 from 22, 26, 31, 53" + new string(' ', 2000)));
        Assert.Equal(413, status);
        Assert.Equal("request_too_large", (string)json["error"]!["code"]!);
        Assert.Contains("1,000 bytes", (string)json["error"]!["message"]!);
    }

    [Fact]
    public async Task When_the_queue_is_full_a_request_gets_429_with_Retry_After_and_a_waiting_one_runs_when_a_place_frees()
    {
        await using var server = await TestServerApp.StartAsync(TestServerApp.NoModel with { MaxConcurrentRequests = 1, MaxQueuedRequests = 1 });
        var held = await server.State.Gate.EnterAsync(CancellationToken.None);
        Assert.NotNull(held);
        var waiting = server.PostJsonAsync(Chat, User("Reach 27 from 22, 26, 31, 53"));
        for (int i = 0; i < 100 && server.State.Gate.Waiting == 0; i++) await Task.Delay(20);
        Assert.Equal(1, server.State.Gate.Waiting);
        using var refused = await server.PostJsonAsync(Chat, User("Reach 27 from 22, 26, 31, 53"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("queue_full", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["code"]!);
        Assert.False(waiting.IsCompleted);
        held!.Dispose();
        using var served = await waiting;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task An_unknown_route_gets_a_404_error_object()
    {
        await using var server = await TestServerApp.StartAsync();
        using var response = await server.Client.GetAsync("/v1/embeddings");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!);
    }
}
