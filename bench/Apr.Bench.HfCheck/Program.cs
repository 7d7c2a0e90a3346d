// Apr.Bench.HfCheck: our side of the Hugging Face format check (bench/hf_llama_check.py is the other).
// Loads a model directory with our loader, turns a few sample traces into token ids (the trace tokenizer
// over the reference samples in shared/reference-samples: APR calls for an APR model, SoS+ traces for a
// SoS+ model, a short, a medium and the longest one, cut to the model's context) and writes, for each,
// the ids and our full-sequence forward's float32 logits (base64 of little-endian floats, T x V) to one
// JSON file. The Python script then runs HF's Llama forward from the directory's config.json and
// model.safetensors alone on the same ids and compares. Tokenizes; does not compare anything itself.
//   dotnet run -c Release --project bench/Apr.Bench.HfCheck -- --model models/apr --method apr --out /tmp/apr-logits.json
using System.Text.Json.Nodes;
using Apr.Data;
using Apr.Inference;
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Bench.HfCheck;

internal static class Program
{
    private static int Main(string[] args)
    {
        string modelDir = Arg(args, "--model") ?? throw new ArgumentException("--model DIR is required");
        string method = Arg(args, "--method") ?? "apr";
        string output = Arg(args, "--out") ?? throw new ArgumentException("--out FILE is required");
        TorchProcess.SetThreads(int.Parse(Arg(args, "--threads") ?? "2", System.Globalization.CultureInfo.InvariantCulture));
        var (model, tokenizer) = ModelLoader.Load(modelDir);
        using var _ = model;
        model.eval();
        int context = model.Config.MaxPositionEmbeddings;

        // Sample traces: every call's full text (prompt + completion), BOS first, as the engine feeds them.
        var samples = Path.Combine(BenchPaths.ReferenceSamples, method == "sosp" ? "sosp.jsonl" : "apr.jsonl");
        var texts = TraceFile.Read(samples)
            .SelectMany(r => r.Calls.Select((c, i) => (Name: $"{r.Id} thread {c.Thread} call {i}", Text: c.Prompt + c.Completion)))
            .Select(t => (t.Name, Ids: (int[])[tokenizer.Bos, .. tokenizer.Encode(t.Text)]))
            .OrderBy(t => t.Ids.Length).ToList();
        var picked = new[] { texts[0], texts[texts.Count / 2], texts[^1] }.DistinctBy(t => t.Name).ToList();

        var traces = new JsonArray();
        foreach (var (name, all) in picked)
        {
            var ids = all.Length > context ? all[..context] : all;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = tensor(ids.Select(i => (long)i).ToArray(), int64).view(1, ids.Length); // (1, T)
            var logits = model.forward(input).squeeze(0).contiguous(); // (T, V)
            var floats = logits.data<float>().ToArray();
            var bytes = new byte[floats.Length * 4];
            Buffer.BlockCopy(floats, 0, bytes, 0, bytes.Length); // little-endian on x64
            traces.Add(new JsonObject
            {
                ["name"] = name,
                ["tokens"] = ids.Length,
                ["truncated_from"] = all.Length > context ? all.Length : null,
                ["ids"] = new JsonArray(ids.Select(i => (JsonNode)i).ToArray()),
                ["logits_shape"] = new JsonArray(ids.Length, (int)logits.shape[1]),
                ["logits_f32_base64"] = Convert.ToBase64String(bytes),
            });
            Console.WriteLine($"{name}: {ids.Length} tokens");
        }
        var report = new JsonObject
        {
            ["format"] = 1,
            ["model"] = modelDir,
            ["samples"] = samples,
            ["path"] = "LlamaForCausalLm.forward (full sequence, causal, no cache), float32",
            ["traces"] = traces,
        };
        File.WriteAllText(output, report.ToJsonString());
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static string? Arg(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
