// CompletionsEndpoint: POST /v1/completions, the engine as a plain language model (vLLM's shapes). The
// request's n calls go to the engine loop beside every other request's work; the answer is the text of
// each choice (echo: the prompt first), its token ids (return_token_ids: "token_ids", "prompt_token_ids"),
// log-probs in the legacy shape (tokens, token_logprobs, top_logprobs, text_offset; echoed prompt tokens
// have null log-probs: prompt scoring is not supported), finish_reason and stop_reason, and usage
// (the prompt counted once). stream: true sends the text as it is decoded (holding back what could be
// the start of a stop string), then [DONE]. A client that goes away cancels its calls.
using System.Text.Json.Nodes;
using Apr.Tokenization;
using Microsoft.AspNetCore.Http;

namespace Apr.Serving;

internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext ctx, ServerState state)
    {
        var cancel = ctx.RequestAborted;
        var body = await JsonRequest.ReadObjectAsync(ctx.Request, state.Options.MaxBodyBytes, cancel).ConfigureAwait(false);
        var request = CompletionRequest.Parse(body, state);
        using var lease = await state.EnterAsync(cancel).ConfigureAwait(false);
        var tokenizer = request.Model.Session.Tokenizer;
        var job = state.Loop.SubmitCompletion(request.Model, request.Calls());
        var choices = Enumerable.Range(0, request.N).Select(_ => new CompletionChoice(tokenizer, request.Stops)).ToArray();
        string id = "cmpl-" + Guid.NewGuid().ToString("N");
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string promptText = tokenizer.Decode(request.PromptIds.Where(t => t != tokenizer.Bos).ToArray());
        try
        {
            if (request.Stream)
            {
                await Sse.StartAsync(ctx.Response).ConfigureAwait(false);
                if (request.Echo)
                {
                    var first = new JsonArray();
                    for (int i = 0; i < request.N; i++) first.Add(Choice(request, i, promptText, request.Logprobs is null ? null : PromptLogprobs(tokenizer, request.PromptIds), null, null, [], true));
                    await Sse.WriteAsync(ctx.Response, Envelope(id, created, request.Model.Id, first), cancel).ConfigureAwait(false);
                }
            }
            await foreach (var e in job.Events.ReadAllAsync(cancel).ConfigureAwait(false))
            {
                var choice = choices[e.Index];
                bool wasFinished = choice.Finished;
                choice.Add(e);
                if (request.Stream && !wasFinished) await StreamDeltaAsync(ctx, request, id, created, e.Index, choice, tokenizer, cancel).ConfigureAwait(false);
                if (choices.All(c => c.Finished)) break;
            }
            var usage = new JsonObject
            {
                ["prompt_tokens"] = request.PromptIds.Length,
                ["completion_tokens"] = choices.Sum(c => c.Tokens.Count),
                ["total_tokens"] = request.PromptIds.Length + choices.Sum(c => c.Tokens.Count),
            };
            state.Metrics.Tokens(request.PromptIds.Length, choices.Sum(c => c.Tokens.Count));
            ctx.Items[ServerApp.UsageKey] = ((long)request.PromptIds.Length, (long)choices.Sum(c => c.Tokens.Count));
            if (request.Stream)
            {
                if (request.IncludeUsage)
                {
                    var last = Envelope(id, created, request.Model.Id, []);
                    last["usage"] = usage;
                    await Sse.WriteAsync(ctx.Response, last, cancel).ConfigureAwait(false);
                }
                await Sse.DoneAsync(ctx.Response, cancel).ConfigureAwait(false);
                return;
            }
            var array = new JsonArray();
            for (int i = 0; i < request.N; i++)
            {
                var c = choices[i];
                JsonObject? logprobs = null;
                if (request.Logprobs is not null)
                {
                    logprobs = Logprobs(tokenizer, request.TokensAsIds, c, 0, c.Tokens.Count, request.Echo ? promptText.Length : 0);
                    if (request.Echo) logprobs = Concat(PromptLogprobs(tokenizer, request.PromptIds), logprobs);
                }
                array.Add(Choice(request, i, (request.Echo ? promptText : "") + c.Text, logprobs, c.FinishReason, c.StopReason, [.. c.Tokens.Select(t => t.Id)], true));
            }
            var response = Envelope(id, created, request.Model.Id, array);
            response["usage"] = usage;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(response.ToJsonString(), cancel).ConfigureAwait(false);
        }
        finally
        {
            if (!job.Events.Completion.IsCompleted) state.Loop.Cancel(job);
        }
    }

    private static async Task StreamDeltaAsync(HttpContext ctx, CompletionRequest request, string id, long created, int index, CompletionChoice c, TraceTokenizer tokenizer, CancellationToken cancel)
    {
        int upTo = c.Sendable;
        var text = upTo > c.Sent ? c.Text[c.Sent..upTo] : "";
        int newTokens = c.Tokens.Count - c.SentTokens;
        if (text.Length == 0 && newTokens == 0 && !c.Finished) return;
        var logprobs = request.Logprobs is null ? null : Logprobs(tokenizer, request.TokensAsIds, c, c.SentTokens, c.Tokens.Count, 0);
        var ids = c.Tokens.Skip(c.SentTokens).Select(t => t.Id).ToArray();
        c.Sent = upTo;
        c.SentTokens = c.Tokens.Count;
        var choice = Choice(request, index, text, logprobs, c.Finished ? c.FinishReason : null, c.Finished ? c.StopReason : null, ids, false);
        await Sse.WriteAsync(ctx.Response, Envelope(id, created, request.Model.Id, [choice]), cancel).ConfigureAwait(false);
    }

    private static JsonObject Envelope(string id, long created, string model, JsonArray choices) => new()
    {
        ["id"] = id,
        ["object"] = "text_completion",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = choices,
    };

    private static JsonObject Choice(CompletionRequest request, int index, string text, JsonObject? logprobs, string? finish, object? stopReason, int[] ids, bool withPrompt)
    {
        var o = new JsonObject
        {
            ["index"] = index,
            ["text"] = text,
            ["logprobs"] = logprobs,
            ["finish_reason"] = finish,
            ["stop_reason"] = stopReason switch { string s => s, int t => t, _ => null },
        };
        if (request.ReturnTokenIds)
        {
            o["token_ids"] = new JsonArray([.. ids.Select(t => (JsonNode)t)]);
            if (withPrompt) o["prompt_token_ids"] = new JsonArray([.. request.PromptIds.Select(t => (JsonNode)t)]);
        }
        return o;
    }

    /// <summary>The legacy log-probs object for tokens [from, to) of a choice, offsets counted from <paramref name="offset"/>.</summary>
    /// <summary>
    /// Log-probs are written as the floats they are (no rounding: a client that samples from them, as the
    /// guided remote backend does, gets what the engine computed). <paramref name="asIds"/>: tokens and
    /// top_logprobs keys as "token_id:N" (vLLM's return_tokens_as_token_ids), else the token's text.
    /// </summary>
    private static JsonObject Logprobs(TraceTokenizer tokenizer, bool asIds, CompletionChoice c, int from, int to, int offset)
    {
        string Key(int id) => asIds ? $"token_id:{id}" : tokenizer.IsSpecial(id) ? $"<{id}>" : tokenizer.TokenText(id);
        var tokens = new JsonArray();
        var lps = new JsonArray();
        var tops = new JsonArray();
        var offsets = new JsonArray();
        int at = offset + (from == 0 ? 0 : tokenizer.Decode(c.Tokens.Take(from).Select(t => t.Id).Where(t => t != tokenizer.Eos).ToArray()).Length);
        for (int k = from; k < to; k++)
        {
            var text = tokenizer.IsSpecial(c.Tokens[k].Id) ? "" : tokenizer.TokenText(c.Tokens[k].Id);
            tokens.Add(asIds ? Key(c.Tokens[k].Id) : text);
            lps.Add(c.Tokens[k].LogProb);
            var top = new JsonObject();
            if (k < c.Top.Count)
                foreach (var (tid, lp) in c.Top[k]) top[Key(tid)] = lp;
            tops.Add(top);
            offsets.Add(at);
            at += text.Length;
        }
        return new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = lps, ["top_logprobs"] = tops, ["text_offset"] = offsets };
    }

    /// <summary>The echoed prompt's entries: its tokens with null log-probs (prompt scoring is not supported), BOS left out.</summary>
    private static JsonObject PromptLogprobs(TraceTokenizer tokenizer, int[] prompt)
    {
        var tokens = new JsonArray();
        var lps = new JsonArray();
        var tops = new JsonArray();
        var offsets = new JsonArray();
        int at = 0;
        foreach (var id in prompt.Where(t => t != tokenizer.Bos))
        {
            var text = tokenizer.IsSpecial(id) ? "" : tokenizer.TokenText(id);
            tokens.Add(text);
            lps.Add(null);
            tops.Add(null);
            offsets.Add(at);
            at += text.Length;
        }
        return new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = lps, ["top_logprobs"] = tops, ["text_offset"] = offsets };
    }

    private static JsonObject Concat(JsonObject a, JsonObject b)
    {
        var o = new JsonObject();
        foreach (var key in new[] { "tokens", "token_logprobs", "top_logprobs", "text_offset" })
            o[key] = new JsonArray([.. ((JsonArray)a[key]!).Select(x => x?.DeepClone()), .. ((JsonArray)b[key]!).Select(x => x?.DeepClone())]);
        return o;
    }
}
