// CompletionRequest: a /v1/completions body (vLLM's field names and shapes) read into n plain engine
// calls. prompt: text (BOS added, as the runtime's prompts) or an array of token ids (used as given).
// max_tokens (default 16) is clamped to the room the context leaves after the prompt; only a prompt
// that alone fills the context is a 400. Supported: temperature (default 1), top_p, top_k (-1 or 0: off),
// seed, n, stop (string or strings), stop_token_ids, logprobs (0..--max-logprobs, default 20), echo, allowed_token_ids,
// return_token_ids, return_tokens_as_token_ids, stream, stream_options.include_usage. Other fields are
// ignored. Every call may extend the KV cache an earlier request left (InferenceEngine's prefix-cache entries),
// so a client that re-sends a growing prompt (the guided remote backend) pays only for the new tokens.
using System.Text.Json.Nodes;
using Apr.Core;
using Apr.Inference;

namespace Apr.Serving;

public sealed record CompletionRequest(
    ServedModel Model, int[] PromptIds, int MaxTokens, SamplingOptions Sampling, ulong? Seed, int N, IReadOnlyList<string> Stops,
    int[]? StopTokenIds, int? Logprobs, bool Echo, int[]? AllowedTokenIds, bool ReturnTokenIds, bool Stream, bool IncludeUsage)
{
    /// <summary>return_tokens_as_token_ids (vLLM): log-prob tokens and top_logprobs keys as "token_id:N" instead of text.</summary>
    public bool TokensAsIds { get; init; }

    public const int DefaultMaxTokens = 16;

    /// <summary>The calls to run: choice i draws from Rng.ForItem(seed, i) (a random seed when none is given).</summary>
    public IReadOnlyList<CallSequence> Calls()
    {
        ulong seed = Seed ?? (ulong)Random.Shared.NextInt64();
        var limits = new CallLimits(PromptIds.Length + MaxTokens);
        var plain = new PlainOptions(AllowedTokenIds, StopTokenIds, Stops.Count > 0 ? Stops : null, Logprobs ?? 0);
        // PrefixCache: each call may extend the cache an earlier request left (automatic prefix caching, as vLLM's).
        var calls = Enumerable.Range(0, N).Select(i => CallSequence.Plain(PromptIds, Model.Session.Tokenizer, Sampling, Rng.ForItem(seed, (ulong)i), limits, plain)).ToArray();
        foreach (var call in calls) call.PrefixCache = true;
        return calls;
    }

    public static CompletionRequest Parse(JsonObject body, ServerState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(state);
        var model = state.Model(JsonRequest.String(body, "model"));
        var tokenizer = model.Session.Tokenizer;
        int vocab = tokenizer.VocabSize, context = model.Session.Context;
        int[] prompt = body["prompt"] switch
        {
            null => throw ApiError.BadRequest("'prompt' is required: a string or an array of token ids", "prompt"),
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [tokenizer.Bos, .. tokenizer.Encode(v.GetValue<string>())],
            JsonArray { Count: 1 } one when one[0] is JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String => [tokenizer.Bos, .. tokenizer.Encode(text.GetValue<string>())],
            JsonArray => JsonRequest.Ints(body, "prompt", 0, vocab - 1, nonEmpty: true)!,
            var other => throw JsonRequest.Wrong("prompt", "a string or an array of token ids", other),
        };
        if (prompt.Length >= context)
            throw ApiError.BadRequest($"the prompt has {prompt.Length} tokens; the context holds {context}, so no completion token fits", "prompt", "context_length_exceeded");
        int maxTokens = (int)Math.Min(JsonRequest.Integer(body, "max_tokens", 1, int.MaxValue) ?? DefaultMaxTokens, context - prompt.Length);
        double temperature = JsonRequest.Number(body, "temperature", 0, 100) ?? 1;
        double topP = JsonRequest.Mass(body, "top_p") ?? 1;
        long topK = JsonRequest.Integer(body, "top_k", -1, vocab) ?? 0;
        long? seed = JsonRequest.Integer(body, "seed", long.MinValue, long.MaxValue);
        int n = (int)(JsonRequest.Integer(body, "n", 1, state.Options.MaxN) ?? 1);
        var stops = body["stop"] switch
        {
            null => [],
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v.GetValue<string>()],
            JsonArray a => a.Select((x, i) => x is JsonValue sv && sv.GetValueKind() == System.Text.Json.JsonValueKind.String ? sv.GetValue<string>()
                : throw JsonRequest.Wrong($"stop[{i}]", "a string", x)).ToList(),
            var other => throw JsonRequest.Wrong("stop", "a string or an array of strings", other),
        };
        if (stops.Any(s => s.Length == 0)) throw ApiError.BadRequest("'stop' strings must not be empty", "stop");
        var stopIds = JsonRequest.Ints(body, "stop_token_ids", 0, vocab - 1);
        int? logprobs = (int?)JsonRequest.Integer(body, "logprobs", 0, state.Options.MaxLogprobs);
        bool echo = JsonRequest.Bool(body, "echo") ?? false;
        var allowed = JsonRequest.Ints(body, "allowed_token_ids", 0, vocab - 1, nonEmpty: true);
        bool returnIds = JsonRequest.Bool(body, "return_token_ids") ?? false;
        bool tokensAsIds = JsonRequest.Bool(body, "return_tokens_as_token_ids") ?? false;
        bool stream = JsonRequest.Bool(body, "stream") ?? false;
        bool usage = JsonRequest.Object(body, "stream_options") is { } so && (JsonRequest.Bool(so, "include_usage") ?? false);
        return new CompletionRequest(model, prompt, maxTokens, new SamplingOptions(temperature, (int)Math.Max(0, topK), topP),
            seed is { } given ? unchecked((ulong)given) : null, n, stops, stopIds, logprobs, echo, allowed, returnIds, stream, usage) { TokensAsIds = tokensAsIds };
    }
}
