// An APR run over many problems with the default-preset model: how full the batches are (rows per
// decode step against runnable threads) and how much wall time is spent outside the model's forward.
// Also the random-choice policy on the same problems, for scale.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Apr.Core;
using Apr.Countdown;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Bench.Inference;

internal static class AprRunBench
{
    public static JsonObject Run(LlamaForCausalLm? model, IReadOnlyList<CountdownProblem> problems, int slots, int context, double temperature, AttentionPath path = AttentionPath.Packed)
    {
        var tokenizer = TraceTokenizer.Default;
        using IDecoder decoder = model is null ? new NullDecoder(tokenizer.VocabSize, slots, context) : new TorchDecoder(model, slots, context, path);
        var options = new SolveOptions(Policy: model is null ? ChoicePolicy.Uniform : ChoicePolicy.Model, Sampling: new SamplingOptions(temperature),
            Guards: new GuardOptions(ContextPerThread: context));
        var runtime = new AprRuntime(decoder, tokenizer, options);
        var items = problems.Select((p, i) => new SolveItem(p, Rng.Mix(7, (ulong)i))).ToList();
        var clock = Stopwatch.StartNew();
        var records = runtime.Solve(items);
        double wall = clock.Elapsed.TotalMilliseconds;
        var s = runtime.Engine.Stats;
        var result = new JsonObject
        {
            ["policy"] = model is null ? "random (no model)" : $"model, temperature {temperature}",
            ["problems"] = records.Count,
            ["slots"] = slots,
            ["context_per_thread"] = context,
            ["accuracy"] = Math.Round(records.Count(r => r.Correct) / (double)records.Count, 4),
            ["mean_total_tokens"] = Math.Round(records.Average(r => r.TotalTokens), 1),
            ["mean_sequential_tokens"] = Math.Round(records.Average(r => r.SequentialTokens), 1),
            ["mean_children"] = Math.Round(records.Average(r => r.Children), 2),
            ["mean_spawns"] = Math.Round(records.Average(r => r.Spawns), 2),
            ["outcomes"] = new JsonObject(records.GroupBy(r => r.Outcome.ToString()).Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
            ["engine_steps"] = s.Steps,
            ["mean_rows_per_step"] = Math.Round(s.MeanRowsPerStep, 2),
            ["mean_runnable_calls_per_step"] = Math.Round(s.Steps == 0 ? 0 : (double)s.Live / s.Steps, 2),
            ["rows_per_runnable"] = Math.Round(s.RowsPerLive, 3),
            ["tokens_fed"] = s.TokensFed,
            ["tokens_reused"] = s.TokensReused,
            ["evictions"] = s.Evictions,
            ["wall_ms"] = Math.Round(wall, 1),
            ["forward_ms"] = Math.Round(s.ForwardMs, 1),
            ["share_outside_forward"] = Math.Round(1 - s.ForwardMs / wall, 4),
        };
        if (decoder is TorchDecoder td) result["model_forward_calls"] = td.ModelCalls;
        Console.WriteLine($"  {result["policy"]}: accuracy {result["accuracy"]}, {s.Steps} steps, {s.MeanRowsPerStep:F1} rows/step, rows/runnable {s.RowsPerLive:F3}, wall {wall:F0} ms, outside forward {1 - s.ForwardMs / wall:P1}");
        return result;
    }
}
