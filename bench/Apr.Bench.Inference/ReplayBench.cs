// Guided vs unguided decoding and prefix reuse on vs off, timed on the real default-preset model while
// the reference's APR trees are replayed (ScriptOverDecoder), so every variant writes the same text.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Data;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Bench.Inference;

internal static class ReplayBench
{
    public static JsonObject Run(LlamaForCausalLm model, List<TraceRecord> trees)
    {
        var tokenizer = TraceTokenizer.Default;
        var calls = trees.SelectMany(t => t.Calls.Select(c => (c.Prompt, c.Completion))).ToList();
        var items = trees.Select((t, i) => new SolveItem(new CountdownProblem(t.Id, t.Target, t.Nums), (ulong)i)).ToList();
        JsonObject Variant(bool guided, bool reuse)
        {
            using var inner = new TorchDecoder(model, 64, 4096);
            using var decoder = new ScriptOverDecoder(inner, tokenizer, calls);
            var runtime = new AprRuntime(decoder, tokenizer, new SolveOptions(Guided: guided, PrefixReuse: reuse,
                Guards: new GuardOptions(MaxChildrenPerSpawn: 64, MaxSpawnsPerProblem: 64, ContextPerThread: 4096)));
            var clock = Stopwatch.StartNew();
            var records = runtime.Solve(items);
            double wall = clock.Elapsed.TotalMilliseconds;
            var s = runtime.Engine.Stats;
            var o = new JsonObject
            {
                ["guided"] = guided,
                ["prefix_reuse"] = reuse,
                ["problems"] = records.Count,
                ["solved"] = records.Count(r => r.Correct),
                ["total_tokens"] = records.Sum(r => r.TotalTokens),
                ["sampled_tokens"] = records.Sum(r => r.SampledTokens),
                ["engine_steps"] = s.Steps,
                ["model_forward_calls"] = inner.ModelCalls,
                ["tokens_fed"] = s.TokensFed,
                ["tokens_reused"] = s.TokensReused,
                ["wall_ms"] = Math.Round(wall, 1),
                ["forward_ms"] = Math.Round(s.ForwardMs, 1),
            };
            Console.WriteLine($"  guided={guided,-5} reuse={reuse,-5}: {s.Steps} steps, {inner.ModelCalls} model calls, {s.TokensFed} tokens fed ({s.TokensReused} reused), {wall:F0} ms, solved {records.Count(r => r.Correct)}/{records.Count}");
            return o;
        }
        return new JsonObject
        {
            ["what"] = $"the first {trees.Count} reference APR trees replayed through the real model (logits overridden by the script)",
            ["guided_reuse"] = Variant(true, true),
            ["guided_no_reuse"] = Variant(true, false),
            ["unguided_reuse"] = Variant(false, true),
            ["unguided_no_reuse"] = Variant(false, false),
            ["single_resume"] = SingleResume(model, trees),
        };
    }

    // One resumed parent: its whole previous text is cached; time the resume prefill with and without reuse.
    private static JsonObject SingleResume(LlamaForCausalLm model, List<TraceRecord> trees)
    {
        var tokenizer = TraceTokenizer.Default;
        var (spawn, resume) = trees
            .Select(t => t.Calls.Where(c => c.Thread == "0").ToList()).Where(c => c.Count >= 2).Select(c => (c[0], c[1]))
            .OrderByDescending(p => p.Item1.Text.Length).First();
        int[] parent = [tokenizer.Bos, .. tokenizer.Encode(spawn.Text)];
        int[] joined = [tokenizer.Bos, .. tokenizer.Encode(resume.Prompt)];
        int shared = 0;
        while (shared < Math.Min(parent.Length, joined.Length - 1) && parent[shared] == joined[shared]) shared++;
        using var decoder = new TorchDecoder(model, 1, 4096);
        var logits = new float[decoder.VocabSize];
        double Time(bool reuse)
        {
            var times = new List<double>();
            for (int r = 0; r < 5; r++)
            {
                decoder.Truncate(0, 0);
                decoder.Forward([new DecodeRow(0, parent)], logits);
                var clock = Stopwatch.StartNew();
                decoder.Truncate(0, reuse ? shared : 0);
                decoder.Forward([new DecodeRow(0, joined[(reuse ? shared : 0)..])], logits);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            return times[2];
        }
        double with = Time(true), without = Time(false);
        Console.WriteLine($"  single resume: prompt {joined.Length} tokens, {shared} shared: {with:F1} ms with reuse, {without:F1} ms recomputing");
        return new JsonObject
        {
            ["resume_prompt_tokens"] = joined.Length,
            ["shared_prefix_tokens"] = shared,
            ["median_ms_with_reuse"] = Math.Round(with, 2),
            ["median_ms_recompute"] = Math.Round(without, 2),
        };
    }
}
