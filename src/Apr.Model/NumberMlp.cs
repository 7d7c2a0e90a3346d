// NumberMlp: a small classifier of Countdown states that reads numbers as numbers, not as tokens. The ranker of
// `apr eval --ranker` was first our Llama network reading a state's text ("Current State: 86:[87, 49, 49]"), where
// every number is one token whose embedding must be learnt on its own; the probes (bench/results/ranking-probe) found it
// knows little of reachability (its loss 10% below the base rate's) and ranks 2-number states worse than the heuristic,
// though a 2-number state reaches the target only by a+b, a-b, a*b or a/b. Here a number is the sum of embeddings of
// what arithmetic acts on: its residues modulo small numbers (NumberMlpConfig.Moduli; a sum or product of residues is
// the residue of the sum or product), its exact value up to Exact (larger values share one row) and its binary
// magnitude (floor(log2(x + 1)), up to LogBins - 1). The target takes the first slot and the state's numbers, sorted
// ascending, the next MaxNumbers (empty slots are zero); each slot adds its own embedding; an MLP of ReLU layers maps
// the concatenated slots to one logit, "the target can still be reached". Nothing about Countdown's operations is
// built in: the network learns from labelled states (bench/Apr.Bench.Ranking --net mlp) which relations matter.
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>The shape of a <see cref="NumberMlp"/>: how numbers are read and how wide the network is.</summary>
public sealed record NumberMlpConfig(int[] Moduli, int Exact, int LogBins, int MaxNumbers, int Embedding, int Hidden, int Layers)
{
    /// <summary>The shape the shipped rankers use (4 numbers after the target; 219 feature rows, 64-wide embeddings, 3 x 512 ReLU).</summary>
    public static NumberMlpConfig Default { get; } = new([2, 3, 4, 5, 7, 8, 9, 11, 13], 128, 28, 4, 64, 512, 3);

    /// <summary>Feature rows each number reads: one per modulus, its exact value, its magnitude.</summary>
    [JsonIgnore] public int FeaturesPerNumber => Moduli.Length + 2;

    /// <summary>The target's slot and one per number.</summary>
    [JsonIgnore] public int Slots => MaxNumbers + 1;

    /// <summary>Rows of the embedding table.</summary>
    [JsonIgnore] public int FeatureRows => Moduli.Sum() + Exact + 1 + LogBins;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads and checks a config (each size in range), or throws an <see cref="InvalidDataException"/> naming the field.</summary>
    public static NumberMlpConfig FromJson(string json)
    {
        NumberMlpConfig? c;
        try { c = JsonSerializer.Deserialize<NumberMlpConfig>(json, Json); }
        catch (JsonException e) { throw new InvalidDataException($"not a number-MLP config: {e.Message}", e); }
        if (c is null || c.Moduli is null) throw new InvalidDataException("not a number-MLP config: moduli is missing");
        c.Check();
        return c;
    }

    public void Check()
    {
        static void In(string name, int v, int lo, int hi)
        {
            if (v < lo || v > hi) throw new InvalidDataException($"number-MLP config: {name} must be in {lo}..{hi}, got {v}");
        }
        if (Moduli.Length is < 1 or > 32) throw new InvalidDataException($"number-MLP config: moduli must hold 1..32 values, got {Moduli.Length}");
        foreach (var m in Moduli) In("each modulus", m, 2, 1024);
        In("exact", Exact, 1, 100_000);
        In("log_bins", LogBins, 1, 64);
        In("max_numbers", MaxNumbers, 1, 16);
        In("embedding", Embedding, 1, 4096);
        In("hidden", Hidden, 1, 8192);
        In("layers", Layers, 1, 16);
    }
}

/// <summary>The classifier: (B, Slots x FeaturesPerNumber) feature rows and a (B, Slots) mask to (B) logits.</summary>
public sealed class NumberMlp : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding features;
    private readonly Parameter slots;
    private readonly Sequential mlp;

    public NumberMlpConfig Config { get; }

    public NumberMlp(NumberMlpConfig config) : base(nameof(NumberMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Check();
        Config = config;
        features = nn.Embedding(config.FeatureRows, config.Embedding);
        slots = nn.Parameter(zeros(config.Slots, config.Embedding));
        var layers = new List<nn.Module<Tensor, Tensor>>();
        var width = config.Slots * config.Embedding;
        for (int i = 0; i < config.Layers; i++)
        {
            layers.Add(nn.Linear(width, config.Hidden));
            layers.Add(nn.ReLU());
            width = config.Hidden;
        }
        layers.Add(nn.Linear(width, 1));
        mlp = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor rows, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var b = rows.shape[0];
        var e = features.forward(rows.view(b, Config.Slots, Config.FeaturesPerNumber)).sum(2); // (B, S, E)
        var x = (e.add(slots, Scalars.One) * mask.unsqueeze(2)).flatten(1);                    // (B, S*E); not e + slots: Scalars
        return mlp.forward(x).squeeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes one state's feature rows (<see cref="NumberMlpConfig.Slots"/> x FeaturesPerNumber) and slot mask: the target,
    /// then the numbers sorted ascending. At most MaxNumbers numbers, each at least 0.
    /// </summary>
    public static void Encode(NumberMlpConfig c, long target, IReadOnlyList<long> nums, Span<long> rows, Span<float> mask)
    {
        if (nums.Count > c.MaxNumbers) throw new ArgumentException($"a state of {nums.Count} numbers does not fit this network (at most {c.MaxNumbers})");
        Span<long> sorted = stackalloc long[nums.Count];
        for (int i = 0; i < nums.Count; i++) sorted[i] = nums[i];
        sorted.Sort();
        rows.Clear();
        mask.Clear();
        Number(c, target, rows[..c.FeaturesPerNumber]);
        mask[0] = 1;
        for (int i = 0; i < sorted.Length; i++)
        {
            Number(c, sorted[i], rows.Slice((i + 1) * c.FeaturesPerNumber, c.FeaturesPerNumber));
            mask[i + 1] = 1;
        }
    }

    private static void Number(NumberMlpConfig c, long x, Span<long> rows)
    {
        if (x < 0) throw new ArgumentException($"a state's numbers are at least 0, got {x}");
        long offset = 0;
        for (int m = 0; m < c.Moduli.Length; m++)
        {
            rows[m] = offset + x % c.Moduli[m];
            offset += c.Moduli[m];
        }
        rows[c.Moduli.Length] = offset + Math.Min(x, c.Exact);
        offset += c.Exact + 1;
        rows[c.Moduli.Length + 1] = offset + Math.Min((long)Math.Floor(Math.Log2(x + 1.0)), c.LogBins - 1);
    }

    /// <summary>Logits for a batch of states (no gradient bookkeeping is changed here: call under no_grad to score).</summary>
    public Tensor Logits(long target, IReadOnlyList<IReadOnlyList<long>> states) =>
        Logits(states.Select(s => (target, s)).ToList());

    /// <summary>Logits for a batch of (target, numbers) states.</summary>
    public Tensor Logits(IReadOnlyList<(long Target, IReadOnlyList<long> Nums)> states)
    {
        int per = Config.Slots * Config.FeaturesPerNumber;
        var rows = new long[states.Count * per];
        var mask = new float[states.Count * Config.Slots];
        for (int i = 0; i < states.Count; i++)
            Encode(Config, states[i].Target, states[i].Nums, rows.AsSpan(i * per, per), mask.AsSpan(i * Config.Slots, Config.Slots));
        using var r = tensor(rows, [states.Count, per]);
        using var m = tensor(mask, [states.Count, Config.Slots]);
        return forward(r, m);
    }
}
