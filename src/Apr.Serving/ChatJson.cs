// ChatJson: the OpenAI chat shapes the server writes for a solved problem. The verified answer (as an
// expression) is the message content; the thread tree is "reasoning_content" (each call's prompt and
// completion, in the protocol's order) and "apr" on each choice, equal to the `apr solve --json` record;
// usage counts every thread's tokens. Streaming chunks carry one call start or end each ("apr_event"; an
// end holds the call as the record will, under "record", so a live view can place it in time).
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Inference;
using Apr.Viewing;

namespace Apr.Serving;

public static class ChatJson
{
    /// <summary>The message content: "expression = target" when the answer verified, else why there is none.</summary>
    public static string Answer(CountdownProblem problem, ProblemRecord record)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(record);
        return record is { Correct: true, Answer: { } ops }
            ? $"{AnswerExpression.Of(problem, ops)} = {problem.Target}"
            : $"No verified answer: the search ended as {Words(record.Outcome)}.";
    }

    /// <summary>Every call's prompt and completion in the protocol's order, each under a header naming its thread.</summary>
    public static string Reasoning(ProblemRecord record)
    {
        var sb = new StringBuilder();
        foreach (var call in record.ToTraceTree().Calls)
            sb.Append("[thread ").Append(call.Thread).Append("]\n").Append(call.Prompt).Append(call.Completion).Append('\n');
        return sb.ToString();
    }

    public static string FinishReason(ProblemRecord record) => record.Outcome == ThreadOutcome.TokenLimit ? "length" : "stop";

    /// <summary>(prompt, completion) tokens over all threads: new prompt tokens of each call, and its completion.</summary>
    public static (long Prompt, long Completion) Usage(IEnumerable<ProblemRecord> records)
    {
        long prompt = 0, completion = 0;
        foreach (var c in records.SelectMany(r => r.Calls))
        {
            prompt += c.PromptTokens - c.SharedPrefixTokens;
            completion += c.Tokens.Count;
        }
        return (prompt, completion);
    }

    public static JsonObject UsageJson((long Prompt, long Completion) u) => new()
    {
        ["prompt_tokens"] = u.Prompt,
        ["completion_tokens"] = u.Completion,
        ["total_tokens"] = u.Prompt + u.Completion,
    };

    public static JsonObject Completion(string id, long created, ChatRequest request, IReadOnlyList<ProblemRecord> records)
    {
        var choices = new JsonArray();
        for (int i = 0; i < records.Count; i++)
            choices.Add(new JsonObject
            {
                ["index"] = i,
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = Answer(request.Problem, records[i]),
                    ["reasoning_content"] = Reasoning(records[i]),
                },
                ["logprobs"] = null,
                ["finish_reason"] = FinishReason(records[i]),
                ["apr"] = Record(request, records[i]),
            });
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = request.Model.Id,
            ["choices"] = choices,
            ["usage"] = UsageJson(Usage(records)),
        };
    }

    /// <summary>A choice's "apr" object: the `apr solve --json` record, or with "apr_view" the thread view's (ViewJson).</summary>
    public static JsonObject Record(ChatRequest request, ProblemRecord record)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.View ? ViewJson.Record(record, request.Model.Session.Tokenizer) : ProblemRecordJson.ToJson(record);
    }

    public static JsonObject Chunk(string id, long created, string model, JsonArray choices) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = model,
        ["choices"] = choices,
    };

    public static JsonObject Choice(int index, JsonObject delta, string? finish = null) => new()
    {
        ["index"] = index,
        ["delta"] = delta,
        ["logprobs"] = null,
        ["finish_reason"] = finish,
    };

    /// <summary>A call's start or end as a chunk's "apr_event" and its one line of reasoning text.</summary>
    public static (JsonObject Event, string Line) Progress(int sample, RuntimeProgress p)
    {
        var e = new JsonObject
        {
            ["sample"] = sample,
            ["type"] = p.Ended is null ? "call_start" : "call_end",
            ["thread"] = p.Thread,
            ["parent"] = p.Parent,
            ["node"] = p.NodeId,
            ["call"] = p.Ended?.Call ?? p.Call,
        };
        if (p.Ended is { } r)
        {
            e["outcome"] = Snake(r.Outcome.ToString());
            e["completion_tokens"] = r.Tokens.Count;
            e["children"] = r.SpawnedChildren;
            e["record"] = ProblemRecordJson.Call(r);
        }
        var line = p.Ended is { } ended
            ? $"thread {p.Thread} call {ended.Call} ended: {Words(ended.Outcome)}, {ended.Tokens.Count} tokens{(ended.SpawnedChildren > 0 ? $", {ended.SpawnedChildren} children" : "")}\n"
            : $"thread {p.Thread} call {p.Call} started at node #{p.NodeId}\n";
        return (e, line);
    }

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    private static string Words(ThreadOutcome outcome) => Snake(outcome.ToString()).Replace('_', ' ');
}
