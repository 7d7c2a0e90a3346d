// Training benchmark: apr's tokens/s and model FLOPs utilisation for the tiny and default presets next to
// the same model in PyTorch (run side by side, alternating, in this process's run), default-size candidates,
// bfloat16 vs float32, and resident memory over a longer run. Writes bench/results/training.json.
// Usage: dotnet run -c Release --project bench/Apr.Bench.Training [-- --quick] [--out FILE]
using System.Text.Json;
using System.Text.Json.Nodes;
using Apr.Bench.Training;
using Apr.Model;
using Apr.Tokenization;
using static TorchSharp.torch;

bool quick = args.Contains("--quick");
int memOnlyAt = Array.IndexOf(args, "--memory-only");
if (memOnlyAt >= 0)
{
    // A memory-only run: --memory-only STEPS [--mallopt]; prints RSS every 25 steps and the peak.
    TorchProcess.SetThreads(2);
    bool tuned = args.Contains("--mallopt") && MallocTuning.FixMmapThreshold(1 << 20);
    int memSteps = int.Parse(args[memOnlyAt + 1], System.Globalization.CultureInfo.InvariantCulture);
    var rssOnly = MemoryProbe.Run(ModelConfig.Default(TraceTokenizer.Default.VocabSize), memSteps, tokens: 2048, seed: 3);
    var every = rssOnly.Where((_, i) => i % 25 == 24).Select(v => Math.Round(v)).ToArray();
    Console.WriteLine(new JsonObject
    {
        ["mallopt_mmap_threshold_1mb"] = tuned, ["steps"] = memSteps, ["tokens_per_batch"] = 2048,
        ["rss_mb_every_25_steps"] = new JsonArray(every.Select(v => (JsonNode?)v).ToArray()), ["peak_rss_mb"] = Math.Round(PeakRssMb()),
    }.ToJsonString());
    return;
}
int outAt = Array.IndexOf(args, "--out");
string outPath = outAt >= 0 ? args[outAt + 1] : Path.Combine(FindRepoRoot(), "bench", "results", "training.json");
const int Threads = 2;
TorchProcess.SetThreads(Threads);
int vocab = TraceTokenizer.Default.VocabSize;
int steps = quick ? 3 : 5, warmup = 2, rounds = quick ? 1 : 3;

var report = new JsonObject
{
    ["machine"] = $"{Environment.ProcessorCount} cores, torch threads {Threads}, load average at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}",
    ["vocab_size"] = vocab,
    ["method"] = $"median step time (forward, backward, clip, AdamW) over {steps} steps after {warmup} warm-up; best of {rounds} alternating apr/PyTorch rounds; random tokens",
};
// Memory over a longer run with varying shapes, first, so nothing else has touched the allocator yet.
{
    int memSteps = quick ? 20 : 80;
    var rss = MemoryProbe.Run(ModelConfig.Default(vocab), memSteps, tokens: 4096, seed: 3);
    double firstHalf = rss.Take(rss.Count / 2).Max(), secondHalf = rss.Skip(rss.Count / 2).Max();
    report["memory_default"] = new JsonObject
    {
        ["steps"] = memSteps,
        ["tokens_per_batch"] = 4096,
        ["seq_range"] = "32..1024 random per step",
        ["rss_mb_after_step_1"] = Math.Round(rss[0]),
        ["peak_rss_mb"] = PeakRssMb(),
        ["rss_mb_max_first_half"] = Math.Round(firstHalf),
        ["rss_mb_max_second_half"] = Math.Round(secondHalf),
        ["rss_mb_every_10_steps"] = new JsonArray(rss.Where((_, i) => i % 10 == 9).Select(v => (JsonNode?)Math.Round(v)).ToArray()),
        ["levels_off"] = secondHalf <= firstHalf * 1.05,
    };
    Console.WriteLine($"RSS: step 1 {rss[0]:F0} MB, max first half {firstHalf:F0} MB, max second half {secondHalf:F0} MB");
}

double peak = ThroughputProbe.MatmulGflops();
report["matmul_fp32_gflops_measured"] = Math.Round(peak, 1);
Console.WriteLine($"float32 matmul 1024^3: {peak:F1} GFLOP/s (the MFU denominator)");

var presets = new JsonArray();
foreach (var (name, batch, seq) in new[] { ("tiny", 16, 256), ("default", 16, 512) })
{
    var config = ModelConfig.Preset(name, vocab);
    double aprBest = 0, torchBest = 0;
    string torchVersion = "", torchError = "";
    for (int r = 0; r < rounds; r++)
    {
        double s = ThroughputProbe.MedianStepSeconds(config, batch, seq, steps, warmup, bf16: false);
        aprBest = Math.Max(aprBest, batch * seq / s);
        var py = PyTorchRunner.Run(config, batch, seq, steps, warmup, Threads, out string? error);
        if (py is { } p)
        {
            torchBest = Math.Max(torchBest, p.TokensPerSecond);
            torchVersion = p.Version;
        }
        else torchError = error ?? "";
    }
    double flops = ThroughputProbe.FlopsPerToken(config, seq);
    var entry = new JsonObject
    {
        ["preset"] = name,
        ["parameters"] = config.ParameterCount,
        ["non_embedding_parameters"] = config.NonEmbeddingParameterCount,
        ["batch"] = batch,
        ["seq"] = seq,
        ["apr_tokens_per_s"] = Math.Round(aprBest),
        ["apr_mfu"] = Math.Round(aprBest * flops / (peak * 1e9), 3),
        ["pytorch_tokens_per_s"] = torchBest > 0 ? Math.Round(torchBest) : null,
        ["pytorch_mfu"] = torchBest > 0 ? Math.Round(torchBest * flops / (peak * 1e9), 3) : null,
        ["apr_over_pytorch"] = torchBest > 0 ? Math.Round(aprBest / torchBest, 2) : null,
        ["pytorch_version"] = torchVersion,
    };
    if (torchError.Length > 0) entry["pytorch_error"] = torchError;
    presets.Add(entry);
    Console.WriteLine($"{name,-8} B={batch} T={seq}: apr {aprBest,8:F0} tok/s (MFU {aprBest * flops / (peak * 1e9):P1}), PyTorch {torchBest,8:F0} tok/s {torchVersion} {torchError}");
}
report["presets"] = presets;

// Default-size candidates: tokens/s and what 2 hours of training would see.
var candidates = new JsonArray();
foreach (var (c, layers, heads, ffn) in quick ? new[] { (256, 4, 8, 688) } : new[] { (192, 4, 6, 512), (256, 4, 8, 688), (256, 6, 8, 688), (384, 6, 8, 1024) })
{
    var config = new ModelConfig(vocab, c, layers, heads, ffn, 4096);
    double tps = Enumerable.Range(0, rounds).Max(_ => 16 * 512 / ThroughputProbe.MedianStepSeconds(config, 16, 512, steps, warmup, bf16: false));
    candidates.Add(new JsonObject
    {
        ["hidden"] = c, ["layers"] = layers, ["heads"] = heads, ["ffn"] = ffn,
        ["non_embedding_parameters"] = config.NonEmbeddingParameterCount,
        ["tokens_per_s"] = Math.Round(tps), ["tokens_in_2h_millions"] = Math.Round(tps * 7200 / 1e6, 1),
    });
    Console.WriteLine($"candidate C={c} L={layers} F={ffn} ({config.NonEmbeddingParameterCount / 1e6:F2}M non-emb): {tps:F0} tok/s, {tps * 7.2e-3:F1}M tokens in 2 h");
}
report["default_candidates_B16_T512"] = candidates;

// bfloat16 (float32 masters) vs float32 on the default preset.
{
    var config = ModelConfig.Default(vocab);
    double f32 = 0, b16 = 0;
    for (int r = 0; r < rounds; r++) // alternate, best of each, to be fair under the shared machine's load
    {
        f32 = Math.Max(f32, 16 * 512 / ThroughputProbe.MedianStepSeconds(config, 16, 512, steps, warmup, bf16: false));
        b16 = Math.Max(b16, 16 * 512 / ThroughputProbe.MedianStepSeconds(config, 16, 512, steps, warmup, bf16: true));
    }
    report["bf16_default_B16_T512"] = new JsonObject { ["fp32_tokens_per_s"] = Math.Round(f32), ["bf16_tokens_per_s"] = Math.Round(b16), ["speedup"] = Math.Round(b16 / f32, 2) };
    Console.WriteLine($"default fp32 {f32:F0} tok/s, bf16 {b16:F0} tok/s ({b16 / f32:F2}x)");
}

peak = Math.Max(peak, ThroughputProbe.MatmulGflops());
report["matmul_fp32_gflops_measured"] = Math.Round(peak, 1);
foreach (var entry in presets.Select(p => p!.AsObject()))
{
    var config = ModelConfig.Preset(entry["preset"]!.GetValue<string>(), vocab);
    double flops = ThroughputProbe.FlopsPerToken(config, entry["seq"]!.GetValue<int>());
    entry["apr_mfu"] = Math.Round(entry["apr_tokens_per_s"]!.GetValue<double>() * flops / (peak * 1e9), 3);
    if (entry["pytorch_tokens_per_s"] is { } t) entry["pytorch_mfu"] = Math.Round(t.GetValue<double>() * flops / (peak * 1e9), 3);
}
report["load_average_at_end"] = File.ReadAllText("/proc/loadavg").Split(' ')[0];
Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
File.WriteAllText(outPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"wrote {outPath}");

static double PeakRssMb() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024 / 1e6).FirstOrDefault(); // kB -> MB, as the RSS samples

static string FindRepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Apr.slnx"))) return d.FullName;
    return Directory.GetCurrentDirectory();
}
