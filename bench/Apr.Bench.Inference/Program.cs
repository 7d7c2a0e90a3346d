// Inference benchmark: decode tokens/s (ours with KV cache, through the engine, naive no-cache, PyTorch
// eager with KV cache on the same weights), guided vs unguided and prefix reuse on/off on replayed
// reference trees, an APR run over many problems (batch fill, time outside the forward), and the same
// greedy APR run on each attention path (packed C# attention, the reference torch path).
// Writes bench/results/inference.json. Uses a randomly initialised default-preset model unless
// --model DIR names a trained one. Usage: dotnet run -c Release --project bench/Apr.Bench.Inference [--quick]
using System.Text.Json;
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Data;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;
using static TorchSharp.torch;

namespace Apr.Bench.Inference;

internal static class Program
{
    private static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        int threads = Arg(args, "--threads", 2);
        int problems = Arg(args, "--problems", quick ? 20 : 100);
        string? modelDir = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault();
        TorchProcess.SetThreads(threads);
        var tokenizer = TraceTokenizer.Default;
        var model = modelDir is null ? TorchProcess.Seeded(1, () => new LlamaForCausalLm(ModelConfig.Default(tokenizer.VocabSize))) : ModelLoader.Load(modelDir).Model;
        model.eval();
        var weightsDir = Directory.CreateTempSubdirectory("apr-bench-inference-").FullName;
        ModelFiles.Save(model, weightsDir);
        var report = new JsonObject
        {
            ["format"] = 1,
            ["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["threads"] = threads,
            ["model"] = modelDir ?? "randomly initialised default preset (no trained model was available)",
            ["config"] = JsonNode.Parse(model.Config.ToJson()),
        };

        string only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault() ?? "all";
        var outPath = Path.Combine(BenchPaths.RepoRoot, "bench", "results", "inference.json");
        if (only != "all" && File.Exists(outPath))
        {
            report = JsonNode.Parse(File.ReadAllText(outPath))!.AsObject(); // update one section
            report[$"{only}_updated_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }
        if (only is "all" or "decode")
        {
        Console.WriteLine("decode throughput");
        // One section per thread count (the 1-thread figures are "decode"), so a 2-thread run does not replace them.
        report[threads == 1 ? "decode" : $"decode_threads_{threads}"] = DecodeBench.Run(model, weightsDir, quick ? [1, 8] : [1, 8, 32, 64], 128, quick ? 8 : 32, threads);

        }
        if (only is "all" or "replay")
        {
        Console.WriteLine("replayed reference trees: guided vs unguided, prefix reuse on/off");
        var trees = TraceFile.Read(Path.Combine(BenchPaths.ReferenceSamples, "apr.jsonl")).Take(quick ? 3 : 10).ToList();
        report["replay"] = ReplayBench.Run(model, trees);

        }
        if (only is "all" or "apr")
        {
        Console.WriteLine($"APR run over {problems} problems");
        var set = new ProblemGenerator(new ProblemDistribution()).Generate(problems, 2026);
        report["apr_run_model_greedy"] = AprRunBench.Run(model, set, 64, 4096, 0);
        report["apr_run_random_policy"] = AprRunBench.Run(null, set, 64, 4096, 0);
        }
        if (only is "all" or "paths")
        {
        // The same greedy APR run on each attention path, interleaved over rounds (best wall time kept), so the
        // ratio holds on a shared machine: packed C# attention (the default) and the reference torch path (one
        // padded forward per step since TorchDecoder stopped grouping rows for it).
        int rounds = Arg(args, "--rounds", quick ? 1 : 2);
        Console.WriteLine($"attention paths: APR greedy over {problems} problems, {rounds} round(s)");
        var set = new ProblemGenerator(new ProblemDistribution()).Generate(problems, 2027);
        var paths = new (string Name, AttentionPath Path)[] { ("packed", AttentionPath.Packed), ("reference", AttentionPath.Reference) };
        var best = new Dictionary<string, JsonObject>();
        for (int round = 0; round < rounds; round++)
            foreach (var (name, path) in paths)
            {
                Console.Write($"  {name}:");
                var run = AprRunBench.Run(model, set, 64, 2048, 0, path);
                if (!best.TryGetValue(name, out var b) || run["wall_ms"]!.GetValue<double>() < b["wall_ms"]!.GetValue<double>()) best[name] = run;
            }
        if (best.Values.Select(r => r["mean_total_tokens"]!.GetValue<double>()).Distinct().Count() != 1)
            Console.WriteLine("  warning: the paths' greedy runs differ in tokens (float rounding changed a decision)");
        double packed = best["packed"]["wall_ms"]!.GetValue<double>();
        var section = new JsonObject { ["problems"] = problems, ["rounds"] = rounds };
        foreach (var (name, _) in paths)
        {
            best[name]["wall_over_packed"] = Math.Round(best[name]["wall_ms"]!.GetValue<double>() / packed, 3);
            section[name] = best[name];
            Console.WriteLine($"  {name}: best wall {best[name]["wall_ms"]} ms ({best[name]["wall_over_packed"]}x packed), accuracy {best[name]["accuracy"]}");
        }
        report[threads == 1 ? "attention_paths" : $"attention_paths_threads_{threads}"] = section;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        File.WriteAllText(outPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        Console.WriteLine($"wrote {outPath}");
        Directory.Delete(weightsDir, recursive: true);
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
