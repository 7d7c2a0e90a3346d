// Decode throughput of the default preset at several batch sizes: our TorchDecoder with its KV cache
// (raw forwards on the packed C# attention path and on the reference torch path, and through the engine with
// sampling), a naive loop that recomputes the whole sequence every step, and PyTorch eager with a KV
// cache on the same weights (run as a child process, interleaved with ours round by round).
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apr.Core;
using Apr.Countdown;
using Apr.Inference;
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Bench.Inference;

internal static class DecodeBench
{
    private const int Repeat = 5; // prefill + decode runs per round and side; the fastest decode counts
    /// <summary>
    /// Rounds of ours (packed C# attention), ours on the reference (torch) path and PyTorch are interleaved per batch size
    /// and the best round of each is kept, so a load change on a shared machine hits all three alike.
    /// </summary>
    public static JsonObject Run(LlamaForCausalLm model, string modelDir, int[] batchSizes, int prompt, int decode, int threads, int rounds = 3)
    {
        int vocab = model.Config.VocabSize;
        var rng = new Rng(42);
        int maxRows = batchSizes.Max();
        var ids = Enumerable.Range(0, maxRows).Select(_ => Enumerable.Range(0, prompt).Select(_ => 3 + (int)rng.NextBelow((ulong)(vocab - 3))).ToArray()).ToArray();
        var result = new JsonObject { ["threads"] = threads, ["prompt_tokens"] = prompt, ["decode_steps"] = decode, ["rounds"] = rounds, ["load_average_before"] = LoadAverage(),
                                      ["method"] = $"per batch size, rounds of ours / ours on the torch path / PyTorch interleaved, each side {Repeat} prefill + decode runs per round; fastest decode of each" };
        var rows = new JsonObject();
        var idsFile = Path.Combine(modelDir, "prompt-ids.json");
        File.WriteAllText(idsFile, JsonSerializer.Serialize(ids));
        var checkFile = Path.Combine(modelDir, "row0-logits.f32");
        File.WriteAllBytes(checkFile, Cached(model, AttentionPath.Packed, ids[..1], 1).First.SelectMany(BitConverter.GetBytes).ToArray());
        foreach (var path in new[] { AttentionPath.Packed, AttentionPath.Reference }) // JIT warm-up: the first measured steps should not run tier-0 code
            for (int w = 0; w < 3; w++) Cached(model, path, ids[..Math.Min(8, maxRows)], 64);
        foreach (var b in batchSizes)
        {
            double packed = 0, reference = 0, pytorch = 0;
            for (int r = 0; r < rounds; r++)
            {
                packed = Math.Max(packed, Cached(model, AttentionPath.Packed, ids[..b], decode, Repeat).TokensPerS);
                reference = Math.Max(reference, Cached(model, AttentionPath.Reference, ids[..b], decode, Repeat).TokensPerS);
                var py = PyTorch(modelDir, idsFile, checkFile, [b], decode, threads, out var error);
                if (py is null) { result["pytorch_error"] = error; continue; }
                result["pytorch_version"] = py["torch"]?.GetValue<string>();
                if (b == 1) result["pytorch_max_abs_logit_diff"] = py["max_abs_diff_vs_csharp"]?.GetValue<double>();
                pytorch = Math.Max(pytorch, py["rows"]![$"{b}"]!["tokens_per_s"]!.GetValue<double>());
            }
            var (engine, outside) = Engine(model, ids[..b], decode, 3);
            var naive = Naive(model, ids[..b], Math.Min(decode, 8));
            rows[$"{b}"] = new JsonObject
            {
                ["ours_kv_tokens_per_s"] = Math.Round(packed, 1), ["ours_kv_torch_path_tokens_per_s"] = Math.Round(reference, 1),
                ["ours_engine_tokens_per_s"] = Math.Round(engine, 1), ["engine_share_outside_forward"] = Math.Round(outside, 3), ["naive_no_cache_tokens_per_s"] = Math.Round(naive, 1),
                ["pytorch_kv_tokens_per_s"] = Math.Round(pytorch, 1), ["ours_over_pytorch"] = pytorch > 0 ? Math.Round(packed / pytorch, 2) : null,
            };
            Console.WriteLine($"  rows {b,3}: ours KV {packed,8:F0} tok/s (reference path {reference,8:F0}), engine {engine,8:F0} ({outside:P0} outside forward), naive {naive,6:F0}, PyTorch eager KV {pytorch,8:F0} tok/s");
        }
        result["load_average_after"] = LoadAverage();
        result["rows"] = rows;
        return result;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    // Prefill, then `decode` greedy single-token steps through TorchDecoder, `repeat` times (the fastest decode
    // counts, as in the PyTorch script); returns tokens/s and row 0's prefill logits.
    private static (double TokensPerS, float[] First) Cached(LlamaForCausalLm model, AttentionPath path, int[][] prompts, int decode, int repeat = 1)
    {
        int b = prompts.Length, v = model.Config.VocabSize;
        float[] first = [];
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeat; r++)
        {
            using var decoder = new TorchDecoder(model, b, prompts[0].Length + decode + 8, path);
            var logits = new float[b * v];
            decoder.Forward(prompts.Select((p, i) => new DecodeRow(i, p)).ToArray(), logits);
            first = logits[..v];
            for (int w = 0; w < 3; w++) decoder.Forward(NextRows(logits, b, v), logits);
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < decode; s++) decoder.Forward(NextRows(logits, b, v), logits);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return (b * decode / best, first);
    }

    private static DecodeRow[] NextRows(float[] logits, int b, int v)
    {
        var rows = new DecodeRow[b];
        for (int i = 0; i < b; i++)
        {
            var span = logits.AsSpan(i * v, v);
            int best = 0;
            for (int j = 1; j < v; j++) if (span[j] > span[best]) best = j;
            rows[i] = new DecodeRow(i, [best]);
        }
        return rows;
    }

    // The same through the engine: unguided greedy calls, each limited to prompt + decode tokens; `repeat` runs,
    // the fastest counts. Also returns the share of its step time spent outside the decoder's forward.
    private static (double TokensPerS, double OutsideForward) Engine(LlamaForCausalLm model, int[][] prompts, int decode, int repeat = 1)
    {
        (double, double) best = (0, 0);
        for (int r = 0; r < repeat; r++)
        {
            using var decoder = new TorchDecoder(model, prompts.Length, prompts[0].Length + decode + 8);
            var engine = new InferenceEngine(decoder);
            var tokenizer = Apr.Tokenization.TraceTokenizer.Default;
            var seqs = prompts.Select((p, i) => CallSequence.Unguided(p, tokenizer, SamplingOptions.Greedy, new Rng((ulong)i), new CallLimits(p.Length + decode + 3))).ToArray();
            foreach (var s in seqs) engine.Submit(s);
            engine.Step(); // prefill
            for (int w = 0; w < 3 && engine.HasWork; w++) engine.Step();
            long before = seqs.Sum(s => (long)s.Tokens.Count);
            double forward0 = engine.Stats.ForwardMs, step0 = engine.Stats.StepMs;
            var clock = Stopwatch.StartNew();
            while (engine.HasWork) engine.Step();
            long tokens = seqs.Sum(s => (long)s.Tokens.Count) - before;
            double tps = tokens / clock.Elapsed.TotalSeconds, stepMs = engine.Stats.StepMs - step0;
            if (tps > best.Item1) best = (tps, stepMs > 0 ? 1 - (engine.Stats.ForwardMs - forward0) / stepMs : 0);
        }
        return best;
    }

    // No cache: every step runs the whole sequence so far.
    private static double Naive(LlamaForCausalLm model, int[][] prompts, int steps)
    {
        int b = prompts.Length;
        var seqs = prompts.Select(p => p.Select(t => (long)t).ToList()).ToArray();
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var ids = tensor(seqs.SelectMany(x => x).ToArray()).view(b, -1); // (B, T)
            var last = model.forward(ids).select(1, -1).argmax(-1).data<long>().ToArray(); // (B,)
            for (int i = 0; i < b; i++) seqs[i].Add(last[i]);
        }
        return b * steps / clock.Elapsed.TotalSeconds;
    }

    private static JsonNode? PyTorch(string modelDir, string idsFile, string checkFile, int[] batchSizes, int decode, int threads, out string? error)
    {
        var python = Environment.GetEnvironmentVariable("APR_PYTHON") ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "pytorch_kv_bench.py"), "--model", modelDir, "--ids", idsFile, "--rows", string.Join(',', batchSizes),
                                    "--decode", $"{decode}", "--threads", $"{threads}", "--check", checkFile, "--repeat", $"{Repeat}" })
            start.ArgumentList.Add(arg);
        try
        {
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) { error = $"{python} exited {p.ExitCode}: {stderr.Trim().Split('\n').LastOrDefault()}"; return null; }
            error = null;
            return JsonNode.Parse(stdout);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or JsonException)
        {
            error = $"{python}: {e.Message}";
            return null;
        }
    }
}
