// The live thread view's routes: the page and its files come from the server itself (embedded), a random
// problem is solvable and fixed by its seed, bad names and seeds are errors that say what exists, and a
// chat with "apr_view" returns the record the page draws (texts, marks, critical path) while a stream's
// call-end events carry each call as the record will hold it.
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Viewing;

namespace Apr.Serving.Tests;

public sealed class ViewRouteTests
{
    [Fact]
    public async Task The_page_and_its_files_are_served_from_the_embedded_assets()
    {
        await using var server = await TestServerApp.StartAsync();
        using var page = await server.Client.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(ViewAssets.Text("live.html"), html);
        foreach (var src in new[] { "/view/view.css", "/view/view.js", "/view/live.js" })
        {
            Assert.Contains($"\"{src}\"", html);
            Assert.Equal(ViewAssets.Text(src["/view/".Length..]), await server.Client.GetStringAsync(src));
        }
        var (status, body) = await Get(server, "/view/secrets.txt");
        Assert.Equal(404, status);
        Assert.Contains("view.js", (string)body["error"]!["message"]!);
    }

    [Fact]
    public async Task A_random_problem_is_solvable_and_the_same_for_the_same_seed()
    {
        await using var server = await TestServerApp.StartAsync();
        var (_, first) = await Get(server, "/view/problem?seed=42");
        var (_, again) = await Get(server, "/view/problem?seed=42");
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        var nums = first["nums"]!.AsArray().Select(n => (long)n!).ToArray();
        Assert.True(ExhaustiveSolver.TrySolve((long)first["target"]!, nums, out _));
        var (status, bad) = await Get(server, "/view/problem?seed=-3");
        Assert.Equal(400, status);
        Assert.Contains("'-3'", (string)bad["error"]!["message"]!);
    }

    [Fact]
    public async Task A_chat_with_apr_view_returns_the_view_record_and_a_streams_call_ends_carry_the_call()
    {
        await using var server = await TestServerApp.StartAsync();
        const string messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Reach 27 from 22, 26, 31, 53\"}]";
        var (_, body) = await server.PostAsync("/v1/chat/completions", $$"""{"seed":3,"apr_view":true,{{messages}}}""");
        var view = body["choices"]![0]!["apr"]!.AsObject();
        Assert.True((bool)view["texts_recorded"]!);
        var calls = view["threads"]!.AsArray().Select(c => c!.AsObject()).ToList();
        Assert.All(calls, c => Assert.Equal((string)c["completion"]!, string.Concat(c["marks"]!.AsArray().Select(m => (string)m![0]!))));
        Assert.Equal((long)view["sequential_tokens"]!, calls.Where(c => (bool)c["critical"]!).Sum(c => (long)(int)c["completion_tokens"]!));

        var (_, plain) = await server.PostAsync("/v1/chat/completions", $$"""{"seed":3,{{messages}}}""");
        Assert.Null(plain["choices"]![0]!["apr"]!["texts_recorded"]);

        using var response = await server.PostJsonAsync("/v1/chat/completions", $$"""{"seed":3,"stream":true,{{messages}}}""");
        var (chunks, done) = Sse.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        var ends = chunks.Select(c => c["apr_event"]).OfType<JsonObject>().Where(e => (string)e["type"]! == "call_end").ToList();
        Assert.Equal(calls.Count, ends.Count);
        foreach (var end in ends)
        {
            var call = end["record"]!.AsObject();
            var same = calls.Single(c => (string)c["thread"]! == (string)call["thread"]! && (int)c["call"]! == (int)call["call"]!);
            foreach (var field in new[] { "outcome", "prompt_tokens", "completion_tokens", "sampled_tokens", "inserted_tokens", "node", "children" })
                Assert.Equal(same[field]!.ToJsonString(), call[field]!.ToJsonString());
            // Steps are the shared engine's, so another run of the problem starts at another step; its length is the same.
            Assert.Equal((long)same["end_step"]! - (long)same["start_step"]!, (long)call["end_step"]! - (long)call["start_step"]!);
        }
    }

    private static async Task<(int Status, JsonObject Body)> Get(TestServerApp server, string path)
    {
        using var response = await server.Client.GetAsync(path);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
