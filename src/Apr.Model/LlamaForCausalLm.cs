// The language model: LlamaModel plus an untied LM head. Forward gives logits; per-token log-probabilities
// and losses of given targets (for SFT and RL); and cached incremental forward for the inference engine.
// Knows token ids and the vocabulary size, never text. Does not sample.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>Llama decoder with parameters "model.*" and "lm_head.weight" (Hugging Face names).</summary>
public sealed class LlamaForCausalLm : nn.Module<Tensor, Tensor>
{
    private readonly LlamaModel model;
    private readonly Linear lm_head;

    /// <summary>A freshly initialised model (seed with <c>torch.manual_seed</c> first for reproducibility).</summary>
    public LlamaForCausalLm(ModelConfig config) : base(nameof(LlamaForCausalLm))
    {
        Config = config.Validate();
        MemoryBudget.Check($"a model of {config.ParameterCount:N0} parameters and {config.MaxPositionEmbeddings:N0} positions", config.WeightBytes);
        model = new LlamaModel(config);
        lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        InitializeWeights();
    }

    public ModelConfig Config { get; }

    /// <summary>
    /// Cached steps (float32 on the CPU, no autograd; one token per row, or ragged chunks whose logits are
    /// wanted at the rows' last tokens) run their attention in C# over the cache memory, packed without
    /// padding, instead of torch ops (same results to float rounding). True by default; false keeps every
    /// step on the torch path (the reference the tests and benchmarks compare against).
    /// </summary>
    public bool DirectDecode { get; set; } = true;

    /// <summary>Logits (B, T, V) for ids (B, T), causal, no cache.</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var hidden = model.Forward(ids, null, null); // (B, T, C)
        return lm_head.forward(hidden).MoveToOuterDisposeScope(); // (B, T, V)
    }

    /// <summary>
    /// Logits (N, V) at the flat positions <paramref name="rows"/> (b * T + t, int64) of ids (B, T), causal,
    /// no cache: the head runs only where asked (RL needs the sampled positions, a tenth of a sequence).
    /// </summary>
    public Tensor LogitsAt(Tensor ids, Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(rows);
        using var scope = NewDisposeScope();
        var hidden = model.Forward(ids, null, null); // (B, T, C)
        var selected = hidden.reshape(-1, hidden.shape[2]).index_select(0, rows); // (N, C)
        return lm_head.forward(selected).MoveToOuterDisposeScope(); // (N, V)
    }

    /// <summary>
    /// Appends a chunk ids (B, T) to the cache: row b adds its first counts[b] tokens to slot slots[b], at
    /// positions continuing that slot's length. Returns logits (B, T, V), or (B, V) at each row's last valid
    /// token when <paramref name="lastOnly"/>. Logits at padded positions (t >= counts[b]) are meaningless.
    /// </summary>
    public Tensor Forward(Tensor ids, KvCache cache, ReadOnlySpan<int> slots, ReadOnlySpan<int> counts, bool lastOnly = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(cache);
        if (ids.shape.Length != 2 || ids.shape[0] != slots.Length)
            throw new ArgumentException($"ids shape [{string.Join(", ", ids.shape)}] does not match {slots.Length} slots");
        int chunk = (int)ids.shape[1];
        using var step = cache.Begin(slots, counts, chunk);
        using var scope = NewDisposeScope();
        // The direct path (C# attention over the cache) takes one-token rows, and any ragged chunk whose
        // logits are wanted at each row's last token only: its valid tokens are packed (N, 1), no padding.
        bool direct = DirectDecode && model.CanRunDirect(cache) && (chunk == 1 || lastOnly);
        var input = !direct || chunk == 1 ? ids
            : step.ValidRows is { } valid ? ids.reshape(-1).index_select(0, valid).view(-1, 1) : ids.reshape(-1, 1); // (N, 1)
        var hidden = model.Forward(input, cache, step, direct); // (B, T, C), or (N, 1, C) packed
        cache.Commit(step);
        if (lastOnly && chunk == 1)
            hidden = hidden.squeeze(1); // (B, C)
        else if (lastOnly && direct)
            hidden = hidden.squeeze(1).index_select(0, tensor(step.LastTokens())); // (B, C)
        else if (lastOnly)
        {
            using var last = tensor(counts.ToArray().Select(c => (long)c - 1).ToArray()).view(-1, 1, 1); // (B, 1, 1)
            hidden = hidden.gather(1, last.expand(-1, 1, hidden.shape[2])).squeeze(1); // (B, C)
        }
        return lm_head.forward(hidden).MoveToOuterDisposeScope(); // (B, T, V) or (B, V)
    }

    /// <summary>Cached forward of one chunk for slots 0..B-1, every row using all T tokens.</summary>
    public Tensor Forward(Tensor ids, KvCache cache)
    {
        int rows = (int)ids.shape[0];
        return Forward(ids, cache, Enumerable.Range(0, rows).ToArray(), Enumerable.Repeat((int)ids.shape[1], rows).ToArray());
    }

    /// <summary>log p(targets[b, t] | ids[b, ..t]) as (B, T), float32. Targets must be valid ids.</summary>
    public Tensor TokenLogProbs(Tensor ids, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return TokenLosses(ids, targets).neg_().MoveToOuterDisposeScope(); // (B, T)
    }

    /// <summary>Cross-entropy of each target, -log p(targets[b, t] | ids[b, ..t]), as (B, T), float32.</summary>
    public Tensor TokenLosses(Tensor ids, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logits = forward(ids); // (B, T, V)
        long b = logits.shape[0], t = logits.shape[1], v = logits.shape[2];
        var flat = logits.reshape(b * t, v).to(float32); // (B*T, V)
        var losses = nn.functional.cross_entropy(flat, targets.reshape(b * t), reduction: nn.Reduction.None); // (B*T,)
        return losses.view(b, t).MoveToOuterDisposeScope(); // (B, T)
    }

    /// <summary>Parameters by checkpoint name (e.g. "model.layers.0.self_attn.q_proj.weight").</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters() => named_parameters().ToList();

    // GPT-2/Llama-style init: normal(0, 0.02) for every matrix, output projections scaled by 1/sqrt(2 * layers);
    // norms start at one.
    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.NumHiddenLayers);
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == "model.norm.weight")
                p.fill_(1.0);
            else if (name.EndsWith("o_proj.weight", StringComparison.Ordinal) || name.EndsWith("down_proj.weight", StringComparison.Ordinal))
                nn.init.normal_(p, 0, residualStd);
            else
                nn.init.normal_(p, 0, 0.02);
        }
    }
}
