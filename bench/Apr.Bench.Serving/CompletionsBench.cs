// The /v1/completions half of the serving benchmark: decode tokens/s at 1, 8 and 32 concurrent requests
// (each one call of --completion-tokens tokens, two rounds) through the server over HTTP, against the same
// calls submitted to an engine in process (c calls at once, two rounds). Unguided sampling at temperature 1
// from the trace's root prompt; a call may end early at EOS, so both sides count the tokens they got.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Apr.Core;
using Apr.Inference;

namespace Apr.Bench.Serving;

internal static class CompletionsBench
{
    public const string Prompt = "Moving to Node #0\nCurrent State: 27:[22, 26, 31, 53], Operations: []\n";
    private const int Rounds = 2;

    /// <summary>Tokens/s with <paramref name="concurrent"/> calls at once on a fresh engine over the session's decoder.</summary>
    public static double InProcess(InferenceSession session, int concurrent, int tokens)
    {
        var engine = new InferenceEngine(session.Decoder);
        var tokenizer = session.Tokenizer;
        int[] prompt = [tokenizer.Bos, .. tokenizer.Encode(Prompt)];
        long produced = 0;
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < Rounds; round++)
        {
            var calls = Enumerable.Range(0, concurrent).Select(i => CallSequence.Plain(prompt, tokenizer, new SamplingOptions(1.0), Rng.ForItem((ulong)round, (ulong)i),
                new CallLimits(prompt.Length + tokens), PlainOptions.None)).ToList();
            calls.ForEach(c => engine.Submit(c));
            while (engine.HasWork) engine.Step();
            produced += calls.Sum(c => c.Tokens.Count);
        }
        return produced / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Tokens/s with <paramref name="concurrent"/> clients, each sending <see cref="Rounds"/> requests one after another.</summary>
    public static async Task<double> Served(HttpClient http, int concurrent, int tokens)
    {
        long produced = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrent).Select(async i =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                var body = new JsonObject { ["model"] = "apr", ["prompt"] = Prompt, ["max_tokens"] = tokens, ["temperature"] = 1.0, ["seed"] = round * 1000 + i };
                using var response = await http.PostAsJsonAsync("/v1/completions", body);
                response.EnsureSuccessStatusCode();
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Interlocked.Add(ref produced, (long)json["usage"]!["completion_tokens"]!);
            }
        }));
        return produced / clock.Elapsed.TotalSeconds;
    }
}
