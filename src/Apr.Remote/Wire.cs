// Wire: the /v1/completions requests the remote engine sends and the answers it reads, in vLLM's field
// names (apr serve accepts the same). Requests carry the prompt as token ids. Answers are untrusted input:
// anything that is not the shape asked for, or names a token outside what was allowed, is a
// BackendException saying what was wrong, never an index error or a silent default.
//   decision (guided): max_tokens 1, temperature 1, allowed_token_ids = the grammar's choices,
//     logprobs = their count, return_tokens_as_token_ids: the answer's top_logprobs[0] is the model's
//     distribution over the choices (the client samples from it with the call's own random stream);
//   text (unguided): max_tokens = the room left, the call's sampling and a seed from its stream,
//     stop_token_ids (EOS and the spawn/join markers), logprobs 0 and return_token_ids: the tokens drawn
//     and their log-probs.
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Apr.Inference;

namespace Apr.Remote;

internal static class Wire
{
    private const string TokenIdPrefix = "token_id:";

    public static byte[] Decision(string model, int[] prompt, IReadOnlyList<int> choices)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + prompt.Length * 5);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            Ints(w, "prompt", prompt);
            w.WriteNumber("max_tokens", 1);
            w.WriteNumber("temperature", 1);
            w.WriteNumber("top_p", 1);
            w.WriteNumber("top_k", -1);
            w.WriteNumber("seed", 0);
            Ints(w, "allowed_token_ids", choices);
            w.WriteNumber("logprobs", choices.Count);
            w.WriteBoolean("return_tokens_as_token_ids", true);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Text(string model, int[] prompt, int maxTokens, SamplingOptions sampling, long seed, IReadOnlyList<int> stopIds)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + prompt.Length * 5);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            Ints(w, "prompt", prompt);
            w.WriteNumber("max_tokens", maxTokens);
            w.WriteNumber("temperature", sampling.Temperature);
            w.WriteNumber("top_p", sampling.TopP);
            w.WriteNumber("top_k", sampling.TopK > 0 ? sampling.TopK : -1);
            w.WriteNumber("seed", seed);
            Ints(w, "stop_token_ids", stopIds);
            w.WriteNumber("logprobs", 0);
            w.WriteBoolean("return_token_ids", true);
            w.WriteBoolean("return_tokens_as_token_ids", true);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The log-prob of each choice the answer reports (top_logprobs[0]); every key must be one of <paramref name="choices"/>.</summary>
    public static Dictionary<int, float> ReadDecision(byte[] body, IReadOnlyList<int> choices, string server)
    {
        using var doc = Parse(body, server);
        var choice = FirstChoice(doc.RootElement, server);
        if (!choice.TryGetProperty("logprobs", out var lp) || lp.ValueKind != JsonValueKind.Object
            || !lp.TryGetProperty("top_logprobs", out var tops) || tops.ValueKind != JsonValueKind.Array || tops.GetArrayLength() == 0
            || tops[0].ValueKind != JsonValueKind.Object)
            throw Bad(server, "no logprobs.top_logprobs[0] object (ask for logprobs; vLLM also needs --max-logprobs at least the largest choice set)");
        var result = new Dictionary<int, float>();
        foreach (var p in tops[0].EnumerateObject())
        {
            int id = TokenId(p.Name, server);
            if (!choices.Contains(id)) throw Bad(server, $"token {id} in top_logprobs is not one of the {choices.Count} allowed choices (a vLLM server needs --logprobs-mode processed_logprobs: log-probs after allowed_token_ids)");
            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetSingle(out var v) || float.IsNaN(v) || v > 1e-3f)
                throw Bad(server, $"the log-prob of token {id} is not a number <= 0: {Snip(p.Value.GetRawText())}");
            result[id] = v;
        }
        if (result.Count == 0) throw Bad(server, "top_logprobs[0] is empty");
        return result;
    }

    /// <summary>The tokens an answer drew, their log-probs, and the finish and stop reasons.</summary>
    public static (int[] Ids, float[] LogProbs, string? Finish, int? StopToken) ReadText(byte[] body, int vocab, string server)
    {
        using var doc = Parse(body, server);
        var choice = FirstChoice(doc.RootElement, server);
        int[]? ids = null;
        if (choice.TryGetProperty("token_ids", out var t) && t.ValueKind == JsonValueKind.Array)
            ids = [.. t.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var i) ? i : throw Bad(server, $"token_ids holds {Snip(e.GetRawText())}"))];
        float[] lps = [];
        if (choice.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.Object)
        {
            if (ids is null && lp.TryGetProperty("tokens", out var toks) && toks.ValueKind == JsonValueKind.Array)
                ids = [.. toks.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? TokenId(e.GetString()!, server) : throw Bad(server, $"logprobs.tokens holds {Snip(e.GetRawText())}"))];
            if (lp.TryGetProperty("token_logprobs", out var tl) && tl.ValueKind == JsonValueKind.Array)
                lps = [.. tl.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetSingle(out var f) && !float.IsNaN(f) ? f : 0f)];
        }
        if (ids is null) throw Bad(server, "no token ids (ask for return_token_ids, or logprobs with return_tokens_as_token_ids)");
        foreach (var id in ids)
            if ((uint)id >= (uint)vocab) throw Bad(server, $"token id {id} is outside the vocabulary of {vocab}");
        if (lps.Length != ids.Length) lps = [.. Enumerable.Range(0, ids.Length).Select(i => i < lps.Length ? lps[i] : 0f)];
        string? finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        int? stop = choice.TryGetProperty("stop_reason", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var si) ? si : null;
        return (ids, lps, finish, stop);
    }

    /// <summary>True when a reload answer says {"success": true}.</summary>
    public static bool Confirmed(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
        }
        catch (JsonException) { return false; }
    }

    /// <summary>The message of an OpenAI-style error body, else the body's start.</summary>
    public static string ErrorMessage(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e))
            {
                if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) return Snip(m.GetString()!);
                if (e.ValueKind == JsonValueKind.String) return Snip(e.GetString()!);
            }
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var msg) && msg.ValueKind == JsonValueKind.String) return Snip(msg.GetString()!);
        }
        catch (JsonException) { }
        return body.Length == 0 ? "(empty body)" : Snip(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)));
    }

    private static JsonDocument Parse(byte[] body, string server)
    {
        try { return JsonDocument.Parse(body); }
        catch (JsonException e) { throw Bad(server, $"the body is not JSON ({e.Message.Split('.')[0]}): {Snip(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120)))}"); }
    }

    private static JsonElement FirstChoice(JsonElement root, string server)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || choices[0].ValueKind != JsonValueKind.Object)
            throw Bad(server, "no choices[0] object");
        return choices[0];
    }

    private static int TokenId(string key, string server) =>
        key.StartsWith(TokenIdPrefix, StringComparison.Ordinal) && int.TryParse(key.AsSpan(TokenIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw Bad(server, $"token '{Snip(key)}' is not of the form token_id:N (ask for return_tokens_as_token_ids)");

    private static void Ints(Utf8JsonWriter w, string name, IReadOnlyList<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static BackendException Bad(string server, string what) => new($"{server} answered a bad completion: {what}");

    private static string Snip(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 160 ? s : s[..160] + "...";
    }
}
