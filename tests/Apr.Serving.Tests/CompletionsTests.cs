// /v1/completions over raw HttpClient (the OpenAI client hides the legacy endpoint), on the no-model
// decoder: every logit is 0, so draws are uniform over the allowed tokens and greedy picks the lowest id.
// That makes known answers: allowed_token_ids, stop_token_ids and stop strings, log-probs of -ln(k),
// echo, token-id prompts, the max_tokens clamp, and streaming equal to the whole answer.
using System.Text.Json.Nodes;
using Apr.Tokenization;

namespace Apr.Serving.Tests;

public sealed class CompletionsTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;
    private static int Id(string text) => Tok.Encode(text).Single();

    private static int[] Ids(JsonNode choice) => [.. choice["token_ids"]!.AsArray().Select(x => (int)x!)];

    [Fact]
    public async Task Greedy_picks_the_lowest_allowed_id_and_stops_at_max_tokens()
    {
        await using var server = await TestServerApp.StartAsync();
        var (status, body) = await server.PostAsync("/v1/completions",
            $$"""{"prompt":"Current State: ","max_tokens":5,"temperature":0,"allowed_token_ids":[{{Id("y")}},{{Id("x")}}],"return_token_ids":true}""");
        Assert.Equal(200, status);
        var choice = body["choices"]![0]!;
        int low = Math.Min(Id("x"), Id("y"));
        Assert.Equal(Enumerable.Repeat(low, 5), Ids(choice));
        Assert.Equal(string.Concat(Enumerable.Repeat(Tok.TokenText(low), 5)), (string)choice["text"]!);
        Assert.Equal("length", (string)choice["finish_reason"]!);
        Assert.Equal([Tok.Bos, .. Tok.Encode("Current State: ")], choice["prompt_token_ids"]!.AsArray().Select(x => (int)x!));
        Assert.Equal(5, (int)body["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task A_stop_token_ends_the_choice_and_is_its_stop_reason_and_a_stop_string_cuts_the_text()
    {
        await using var server = await TestServerApp.StartAsync();
        int x = Id("x"), y = Id("y");
        var (_, body) = await server.PostAsync("/v1/completions",
            $$"""{"prompt":"a","max_tokens":200,"seed":3,"allowed_token_ids":[{{x}},{{y}}],"stop_token_ids":[{{y}}],"return_token_ids":true}""");
        var choice = body["choices"]![0]!;
        var ids = Ids(choice);
        Assert.Equal(y, ids[^1]);
        Assert.All(ids[..^1], id => Assert.Equal(x, id));
        Assert.Equal(new string('x', ids.Length - 1), (string)choice["text"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
        Assert.Equal(y, (int)choice["stop_reason"]!);

        (_, body) = await server.PostAsync("/v1/completions", $$"""{"prompt":"a","max_tokens":200,"seed":3,"allowed_token_ids":[{{x}},{{y}}],"stop":["yx"]}""");
        choice = body["choices"]![0]!;
        Assert.DoesNotContain("yx", (string)choice["text"]!);
        Assert.Equal("yx", (string)choice["stop_reason"]!);
        Assert.Equal("stop", (string)choice["finish_reason"]!);
    }

    [Fact]
    public async Task Logprobs_are_minus_ln_k_over_k_allowed_tokens_and_echo_puts_the_prompt_first()
    {
        await using var server = await TestServerApp.StartAsync();
        var (_, body) = await server.PostAsync("/v1/completions",
            $$"""{"prompt":"ab","max_tokens":3,"seed":1,"logprobs":2,"echo":true,"allowed_token_ids":[{{Id("x")}},{{Id("y")}},{{Id("z")}}]}""");
        var choice = body["choices"]![0]!;
        Assert.StartsWith("ab", (string)choice["text"]!);
        var lp = choice["logprobs"]!;
        var tokenLogprobs = lp["token_logprobs"]!.AsArray();
        int promptTokens = Tok.Encode("ab").Length;
        Assert.Equal(promptTokens + 3, tokenLogprobs.Count);
        Assert.All(tokenLogprobs.Take(promptTokens), t => Assert.Null(t));
        Assert.All(tokenLogprobs.Skip(promptTokens), t => Assert.Equal(-Math.Log(3), (double)t!, 5));
        Assert.All(lp["top_logprobs"]!.AsArray().Skip(promptTokens), t => Assert.Equal(2, t!.AsObject().Count));
        Assert.Equal(0, (int)lp["text_offset"]![0]!);
    }

    [Fact]
    public async Task A_token_id_prompt_is_used_as_given_and_the_same_seed_gives_the_same_tokens()
    {
        await using var server = await TestServerApp.StartAsync();
        const string request = """{"prompt":[1,300,301],"max_tokens":8,"seed":42,"temperature":1,"top_k":50,"top_p":0.9,"n":2,"return_token_ids":true}""";
        var (_, a) = await server.PostAsync("/v1/completions", request);
        var (_, b) = await server.PostAsync("/v1/completions", request);
        Assert.Equal([1, 300, 301], a["choices"]![0]!["prompt_token_ids"]!.AsArray().Select(x => (int)x!));
        Assert.Equal(a["choices"]!.ToJsonString(), b["choices"]!.ToJsonString());
        Assert.NotEqual(Ids(a["choices"]![0]!), Ids(a["choices"]![1]!));
    }

    [Fact]
    public async Task Max_tokens_past_the_context_is_clamped_and_only_a_prompt_that_fills_it_is_refused()
    {
        await using var server = await TestServerApp.StartAsync(TestServerApp.NoModel with { Context = 64 });
        var (status, body) = await server.PostAsync("/v1/completions", $$"""{"prompt":[1,300,301,302],"max_tokens":100000,"allowed_token_ids":[{{Id("x")}}],"return_token_ids":true}""");
        Assert.Equal(200, status);
        Assert.Equal(60, Ids(body["choices"]![0]!).Length);
        Assert.Equal("length", (string)body["choices"]![0]!["finish_reason"]!);

        var prompt = string.Join(",", Enumerable.Repeat(300, 64));
        (status, body) = await server.PostAsync("/v1/completions", $$"""{"prompt":[{{prompt}}],"max_tokens":1}""");
        Assert.Equal(400, status);
        Assert.Equal("context_length_exceeded", (string)body["error"]!["code"]!);
        Assert.Contains("64 tokens", (string)body["error"]!["message"]!);
    }

    [Fact]
    public async Task A_stream_sends_the_same_text_and_tokens_as_the_whole_answer_then_usage_and_DONE()
    {
        await using var server = await TestServerApp.StartAsync();
        string allowed = $"[{Id("x")},{Id("y")},{Id("z")}]";
        var (_, whole) = await server.PostAsync("/v1/completions", $$"""{"prompt":"q","max_tokens":40,"seed":9,"allowed_token_ids":{{allowed}},"stop":["zz"],"return_token_ids":true}""");
        using var response = await server.PostJsonAsync("/v1/completions",
            $$"""{"prompt":"q","max_tokens":40,"seed":9,"allowed_token_ids":{{allowed}},"stop":["zz"],"return_token_ids":true,"stream":true,"stream_options":{"include_usage":true} }""");
        var (chunks, done) = Sse.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(done);
        var parts = chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!).ToList();
        Assert.Equal((string)whole["choices"]![0]!["text"]!, string.Concat(parts.Select(p => (string)p["text"]!)));
        Assert.Equal(Ids(whole["choices"]![0]!), parts.SelectMany(Ids));
        Assert.Equal((string?)whole["choices"]![0]!["finish_reason"], (string?)parts[^1]["finish_reason"]);
        Assert.Equal((int)whole["usage"]!["completion_tokens"]!, (int)chunks[^1]["usage"]!["completion_tokens"]!);
    }
}
