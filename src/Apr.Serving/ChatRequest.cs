// ChatRequest: a /v1/chat/completions body read into what the runtime needs: the model, the Countdown
// problem the last user message names, sampling (temperature, top_p, top_k; default greedy, as
// `apr solve`), seed, n samples, and max_tokens (or max_completion_tokens) as the problem's total-token
// budget over all threads. Fields it does not know are ignored; known fields of the wrong type are a 400.
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Inference;

namespace Apr.Serving;

public sealed record ChatRequest(ServedModel Model, CountdownProblem Problem, SamplingOptions Sampling, ulong Seed, int N, long? Budget, bool Stream, bool IncludeUsage)
{
    /// <summary>The "apr_view" extension: each choice's "apr" record is the thread view's (texts, marked tokens, critical path) instead of `apr solve --json`'s.</summary>
    public bool View { get; init; }

    /// <summary>The items the runtime solves: n samples seeded as `apr solve --samples n --seed S` seeds them.</summary>
    public IReadOnlyList<SolveItem> Items()
    {
        int? prefix = BudgetPrefix.For(Budget, Model.Method, Model.Session.Conditioning);
        return [.. MultiSample.Items([Problem], N, Seed).Select(i => i with { Budget = Budget, TokenBudget = prefix, Sampling = Sampling })];
    }

    public static ChatRequest Parse(JsonObject body, ServerState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(state);
        var model = state.Model(JsonRequest.String(body, "model"));
        var messages = JsonRequest.Array(body, "messages")
            ?? throw ApiError.BadRequest($"'messages' is required: an array whose last user message names {ProblemText.Expected}", "messages");
        if (messages.Count == 0) throw ApiError.BadRequest($"'messages' is empty: expected a user message naming {ProblemText.Expected}", "messages");
        string? content = null;
        for (int i = 0; i < messages.Count; i++)
        {
            var m = messages[i] as JsonObject ?? throw JsonRequest.Wrong($"messages[{i}]", "an object with 'role' and 'content'", messages[i]);
            var role = JsonRequest.String(m, "role") ?? throw ApiError.BadRequest($"'messages[{i}].role' is required", $"messages[{i}].role");
            if (role == "user") content = Text(m, i);
        }
        if (content is null) throw ApiError.BadRequest($"no user message: expected one naming {ProblemText.Expected}", "messages");
        var problem = ProblemText.Parse(content);
        double temperature = JsonRequest.Number(body, "temperature", 0, 100) ?? 0;
        double topP = JsonRequest.Mass(body, "top_p") ?? 1;
        long topK = JsonRequest.Integer(body, "top_k", -1, 1_000_000) ?? 0;
        long? seed = JsonRequest.Integer(body, "seed", long.MinValue, long.MaxValue);
        int n = (int)(JsonRequest.Integer(body, "n", 1, state.Options.MaxN) ?? 1);
        long? budget = JsonRequest.Integer(body, "max_completion_tokens", 16, 100_000_000) ?? JsonRequest.Integer(body, "max_tokens", 16, 100_000_000);
        bool stream = JsonRequest.Bool(body, "stream") ?? false;
        bool usage = JsonRequest.Object(body, "stream_options") is { } so && (JsonRequest.Bool(so, "include_usage") ?? false);
        return new ChatRequest(model, problem, new SamplingOptions(temperature, (int)Math.Max(0, topK), topP),
            seed is { } s ? unchecked((ulong)s) : (ulong)Random.Shared.NextInt64(), n, budget, stream, usage)
        { View = JsonRequest.Bool(body, "apr_view") ?? false };
    }

    /// <summary>A message's text: a string, or an array of parts whose "text" parts are joined.</summary>
    private static string Text(JsonObject message, int i)
    {
        var name = $"messages[{i}].content";
        return message["content"] switch
        {
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select((p, k) => p is JsonObject o && JsonRequest.String(o, "text") is { } t ? t
                : throw JsonRequest.Wrong($"{name}[{k}]", "a text part {\"type\":\"text\",\"text\":...}", p))),
            var other => throw JsonRequest.Wrong(name, "a string or an array of text parts", other),
        };
    }
}
