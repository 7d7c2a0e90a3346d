// ReachabilityScorer: the learned ranking of `apr eval --ranker` (Apr.Countdown.ISuccessorScorer). A ranker directory holds a
// classifier trained by bench/Apr.Bench.Ranking (model.safetensors and ranker.json, its manifest), of one of two kinds:
// - the Llama network (manifest without "network", or "network": "llama"; with config.json and apr-tokenizer.json): a
//   LlamaForCausalLm that reads one state as a trace writes it ("Current State: 86:[87, 49, 49]"); its logit of the
//   number token 1 against that of 0 at the last position says whether the target can still be reached;
// - the number MLP ("network": "number-mlp", its shape in "config"; Apr.Model.NumberMlp): reads the target and the
//   numbers as numbers (residues, exact value, magnitude) and gives one logit.
// The score is the sigmoid of that margin. The probe trains with the same inputs and the same logits, so what it
// measured is what the tree uses.
// Scores are cached per (target, state): the trees of one evaluation meet the same states again. Score is thread-safe
// (one lock: trace workers and the engine may share a scorer). A ranker rates only
// states of the sizes it was trained on (the manifest's "state_sizes"; all sizes when it has none): every other state
// gets the same score, so those expansions keep the heuristic's order (AprOptions.Scorer: ties keep it). Load's `only`
// (`apr eval --ranker-sizes`) narrows that further: a ranker can be worse than the heuristic at some size, and this
// keeps the heuristic there without retraining.
using System.Globalization;
using System.Text.Json;
using Apr.Countdown;
using Apr.Model;
using Apr.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Apr.Inference;

public sealed class ReachabilityScorer : IRanker
{
    /// <summary>The manifest a ranker directory holds beside the model (written by bench/Apr.Bench.Ranking --save).</summary>
    public const string ManifestFile = ModelLoader.RankerManifest;
    public const string TokenizerFile = "apr-tokenizer.json";

    /// <summary>The manifest's "network" value of a number-MLP ranker.</summary>
    public const string NumberMlpNetwork = "number-mlp";

    private readonly nn.Module _network;
    private readonly Func<long, List<long[]>, float[]> _margins;
    private readonly Dictionary<string, double> _cache = new(StringComparer.Ordinal);

    private readonly IReadOnlySet<int>? _sizes;

    /// <summary>The score of a state whose size the ranker was not trained on (any constant keeps the heuristic's order).</summary>
    public const double Untrained = 0.5;

    public ReachabilityScorer(LlamaForCausalLm model, TraceTokenizer tokenizer, IReadOnlySet<int>? stateSizes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _sizes = stateSizes;
        _network = model;
        var (no, yes) = LabelTokens(tokenizer);
        _margins = (target, states) =>
        {
            using var logits = Logits2(model, [.. states.Select(s => tokenizer.Encode(StateText(target, s)))], no, yes);
            using var margin = logits[.., 1] - logits[.., 0];
            return margin.data<float>().ToArray();
        };
        model.eval();
    }

    public ReachabilityScorer(NumberMlp model, IReadOnlySet<int>? stateSizes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _sizes = stateSizes;
        _network = model;
        _margins = (target, states) =>
        {
            using var logits = model.Logits(target, states);
            return logits.data<float>().ToArray();
        };
        model.eval();
    }

    /// <summary>The state sizes it rates (every other size gets <see cref="Untrained"/>); null: every size.</summary>
    public IReadOnlySet<int>? StateSizes => _sizes;

    /// <summary>Where the ranker came from (its manifest's "command"), for records and reports; null when not loaded from a directory.</summary>
    public string? Source { get; private init; }

    /// <summary>The error for a composite ranker (Rankers: by state size or mean) given where a trained one is loaded.</summary>
    private static ArgumentException Composite(string directory, string? kind) =>
        new($"ranker '{directory}': a {kind} ranker (made of trained rankers): load it with Rankers.Load");

    /// <summary>
    /// Loads a ranker directory; a missing or malformed file is an <see cref="ArgumentException"/> naming it. With
    /// <paramref name="only"/> it rates only states of those sizes (each one it was trained on, else an ArgumentException).
    /// </summary>
    public static ReachabilityScorer Load(string directory, IReadOnlyCollection<int>? only = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new ArgumentException($"ranker '{directory}': no such directory");
        foreach (var f in new[] { ModelFiles.WeightsFile, ManifestFile })
            if (!File.Exists(Path.Combine(directory, f)))
                throw Rankers.IsComposite(directory, out var kind) // a composite ranker holds only its ranker.json: say so rather than name the missing weights
                    ? Composite(directory, kind)
                    : new ArgumentException($"ranker '{directory}': {f} is missing (a ranker is written by bench/Apr.Bench.Ranking --save DIR)");
        string? command;
        HashSet<int>? sizes = null;
        NumberMlpConfig? mlp = null;
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, ManifestFile)));
            var network = manifest.RootElement.TryGetProperty("network", out var net) ? net.GetString() : "llama";
            if (network is Rankers.ByStateSizeNetwork or Rankers.MeanNetwork) throw Composite(directory, network);
            if (network == NumberMlpNetwork)
                mlp = manifest.RootElement.TryGetProperty("config", out var cfg)
                    ? NumberMlpConfig.FromJson(cfg.GetRawText())
                    : throw new ArgumentException($"ranker '{directory}': {ManifestFile} names the network {NumberMlpNetwork} but has no \"config\"");
            else if (network != "llama")
                throw new ArgumentException($"ranker '{directory}': {ManifestFile}'s network must be \"llama\" or \"{NumberMlpNetwork}\", got \"{network}\"");
            if (!manifest.RootElement.TryGetProperty("task", out var task) || task.GetString() != "reachability")
                throw new ArgumentException($"ranker '{directory}': {ManifestFile} does not describe a reachability classifier (task != \"reachability\")");
            command = manifest.RootElement.TryGetProperty("command", out var c) ? c.GetString() : null;
            if (manifest.RootElement.TryGetProperty("state_sizes", out var z))
                sizes = z.ValueKind == JsonValueKind.Array && z.EnumerateArray().All(x => x.TryGetInt32(out var v) && v >= 2)
                    ? [.. z.EnumerateArray().Select(x => x.GetInt32())]
                    : throw new ArgumentException($"ranker '{directory}': {ManifestFile}'s state_sizes must be a list of sizes of at least 2, got {z.GetRawText()}");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"ranker '{directory}': {ManifestFile} is not valid JSON: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"ranker '{directory}': {ManifestFile}: {e.Message}", e);
        }
        if (only is { Count: > 0 })
        {
            foreach (var n in only)
                if (n < 2 || (sizes is not null && !sizes.Contains(n)))
                    throw new ArgumentException($"ranker '{directory}': it cannot rate states of {n} numbers (" +
                        (sizes is null ? "states have at least 2" : $"it was trained on sizes {string.Join(",", sizes.Order())}") + ")");
            sizes = [.. only];
        }
        if (mlp is not null)
        {
            if (sizes is not null && sizes.Max() > mlp.MaxNumbers)
                throw new ArgumentException($"ranker '{directory}': state_sizes go up to {sizes.Max()}, above the network's max_numbers {mlp.MaxNumbers}");
            var net = new NumberMlp(mlp);
            try
            {
                ModelFiles.LoadWeights(net, Path.Combine(directory, ModelFiles.WeightsFile));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException or JsonException or KeyNotFoundException)
            {
                net.Dispose();
                throw new ArgumentException($"ranker '{directory}': {e.Message}", e);
            }
            return new ReachabilityScorer(net, sizes ?? [.. Enumerable.Range(2, mlp.MaxNumbers - 1)]) { Source = command };
        }
        foreach (var f in new[] { ModelFiles.ConfigFile, TokenizerFile })
            if (!File.Exists(Path.Combine(directory, f)))
                throw new ArgumentException($"ranker '{directory}': {f} is missing (a ranker is written by bench/Apr.Bench.Ranking --save DIR)");
        TraceTokenizer tokenizer;
        LlamaForCausalLm model;
        try
        {
            tokenizer = TraceTokenizer.FromJson(File.ReadAllText(Path.Combine(directory, TokenizerFile)));
            model = ModelFiles.Load(directory);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or JsonException or KeyNotFoundException)
        {
            throw new ArgumentException($"ranker '{directory}': {e.Message}", e);
        }
        return new ReachabilityScorer(model, tokenizer, sizes) { Source = command };
    }

    /// <summary>The number tokens 0 and 1: the classifier's "cannot" and "can" answers.</summary>
    public static (int No, int Yes) LabelTokens(TraceTokenizer tokenizer) => (tokenizer.NumberToken(0), tokenizer.NumberToken(1));

    /// <summary>A state as the trace writes it: "Current State: 86:[87, 49, 49]".</summary>
    public static string StateText(long target, IReadOnlyList<long> nums) =>
        string.Create(CultureInfo.InvariantCulture, $"Current State: {target}:[{string.Join(", ", nums)}]");

    /// <summary>(N, 2) logits [no, yes] at each sequence's last token.</summary>
    public static Tensor Logits2(LlamaForCausalLm model, IReadOnlyList<int[]> seqs, int no, int yes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(seqs);
        int width = seqs.Max(s => s.Length);
        var ids = new long[seqs.Count * width];
        var rows = new long[seqs.Count];
        for (int b = 0; b < seqs.Count; b++)
        {
            for (int t = 0; t < seqs[b].Length; t++) ids[b * width + t] = seqs[b][t];
            rows[b] = (long)b * width + seqs[b].Length - 1;
        }
        var logits = model.LogitsAt(tensor(ids, [seqs.Count, width]), tensor(rows)); // (N, V)
        return logits.index_select(1, tensor(new long[] { no, yes }));
    }

    public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(states);
        lock (_cache) ScoreLocked(target, states, scores);
    }

    // One caller at a time: trace workers and the engine may share one scorer (its cache and the network).
    private void ScoreLocked(long target, IReadOnlyList<long[]> states, Span<double> scores)
    {
        var keys = new string[states.Count];
        var missing = new List<int>();
        for (int i = 0; i < states.Count; i++)
        {
            if (_sizes is not null && !_sizes.Contains(states[i].Length))
            {
                scores[i] = Untrained;
                continue;
            }
            keys[i] = StateText(target, states[i]);
            if (_cache.TryGetValue(keys[i], out var s)) scores[i] = s;
            else missing.Add(i);
        }
        if (missing.Count == 0) return;
        float[] margin;
        using (no_grad())
        using (NewDisposeScope())
            margin = _margins(target, [.. missing.Select(i => states[i])]);
        for (int k = 0; k < missing.Count; k++)
        {
            double p = 1 / (1 + Math.Exp(-margin[k]));
            _cache[keys[missing[k]]] = p;
            scores[missing[k]] = p;
        }
    }

    public void Dispose() => _network.Dispose();
}
