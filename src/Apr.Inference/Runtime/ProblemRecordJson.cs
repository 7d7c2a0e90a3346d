// ProblemRecordJson: one ProblemRecord as one JSON object (snake_case), the format of `apr solve --json`
// and of the evaluation's per-problem JSONL. Token ids and log-probs are left out unless asked for.
using System.Text.Json;
using System.Text.Json.Nodes;
using Apr.Protocol;

namespace Apr.Inference;

public static class ProblemRecordJson
{
    /// <summary>Format version written as "format".</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// The record as JSON. <paramref name="texts"/>: each call's prompt and completion text;
    /// <paramref name="tokens"/>: each call's completion token ids, sources ("s"/"i") and log-probs.
    /// </summary>
    public static JsonObject ToJson(ProblemRecord record, bool texts = false, bool tokens = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        var threads = new JsonArray(record.Calls.Select(c => (JsonNode)Call(c, texts, tokens)).ToArray());
        return new JsonObject
        {
            ["format"] = FormatVersion,
            ["id"] = record.Id,
            ["sample"] = record.Sample,
            ["target"] = record.Target,
            ["nums"] = new JsonArray(record.Nums.Select(n => (JsonNode)n).ToArray()),
            ["method"] = record.Method.WireName(),
            ["answer"] = record.Answer is null ? null : Operations(record.Answer),
            ["correct"] = record.Correct,
            ["verify_error"] = record.VerifyError,
            ["outcome"] = Snake(record.Outcome.ToString()),
            ["budget"] = record.Budget,
            ["total_tokens"] = record.TotalTokens,
            ["sampled_tokens"] = record.SampledTokens,
            ["sequential_tokens"] = record.SequentialTokens,
            ["latency_ms"] = record.LatencyMs is { } ms ? Math.Round(ms, 3) : null,
            ["max_call_tokens"] = record.MaxCallTokens,
            ["steps"] = record.Steps,
            ["children"] = record.Children,
            ["spawns"] = record.Spawns,
            ["thread_count"] = record.Threads,
            ["threads"] = threads,
        };
    }

    /// <summary>One call as the record's "threads" hold it (also each call-end event of the server's stream).</summary>
    public static JsonObject Call(ThreadCallRecord c, bool texts = false, bool tokens = false)
    {
        ArgumentNullException.ThrowIfNull(c);
        var o = new JsonObject
        {
            ["thread"] = c.Thread,
            ["parent"] = c.Parent,
            ["call"] = c.Call,
            ["level"] = c.Level,
            ["node"] = c.NodeId,
            ["outcome"] = Snake(c.Outcome.ToString()),
            ["detail"] = c.Detail,
            ["children"] = c.SpawnedChildren,
            ["prompt_tokens"] = c.PromptTokens,
            ["shared_prefix_tokens"] = c.SharedPrefixTokens,
            ["reused_cache_tokens"] = c.ReusedCacheTokens,
            ["completion_tokens"] = c.Tokens.Count,
            ["sampled_tokens"] = c.SampledTokens,
            ["inserted_tokens"] = c.InsertedTokens,
            ["forwards"] = c.Forwards,
            ["start_step"] = c.StartStep,
            ["end_step"] = c.EndStep,
            ["start_ms"] = Math.Round(c.StartMs, 3),
            ["end_ms"] = Math.Round(c.EndMs, 3),
        };
        if (texts)
        {
            o["prompt"] = c.Prompt;
            o["completion"] = c.Completion;
        }
        if (tokens)
        {
            o["token_ids"] = new JsonArray(c.Tokens.Select(t => (JsonNode)t.Id).ToArray());
            o["token_sources"] = string.Concat(c.Tokens.Select(t => t.Source == TokenSource.Sampled ? 's' : 'i'));
            o["token_logprobs"] = new JsonArray(c.Tokens.Select(t => (JsonNode)Math.Round(t.LogProb, 6)).ToArray());
        }
        return o;
    }

    /// <summary>One line of JSONL.</summary>
    public static string ToJsonLine(ProblemRecord record, bool texts = false, bool tokens = false) =>
        ToJson(record, texts, tokens).ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>An answer as JSON: each operation as its text ("53-22=31"), the one place operations become strings.</summary>
    public static JsonArray Operations(IEnumerable<Apr.Countdown.Operation> answer) =>
        new(answer.Select(o => (JsonNode)o.ToString()).ToArray());

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
