// The language model: LlamaModel plus an untied LM head. Forward gives logits; per-token log-probabilities
// and losses of given targets (for SFT and RL); and cached incremental forward for the inference engine, on
// the AttentionPath its caller names (the module keeps no switch). Knows token ids and the vocabulary size,
// never text. Does not sample.
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

    /// <summary>Logits (B, T, V) for ids (B, T), causal, no cache.</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var hidden = model.Forward(ids); // (B, T, C)
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
        var hidden = model.Forward(ids); // (B, T, C)
        var selected = hidden.reshape(-1, hidden.shape[2]).index_select(0, rows); // (N, C)
        return lm_head.forward(selected).MoveToOuterDisposeScope(); // (N, V)
    }

    /// <summary>
    /// Appends a chunk ids (B, T) to the cache: row b adds its first counts[b] tokens to slot slots[b], at
    /// positions continuing that slot's length, attending on <paramref name="path"/>. Returns logits (B, T, V),
    /// or (B, V) at each row's last valid token when <paramref name="lastOnly"/>. Logits at padded positions
    /// (t >= counts[b]) are meaningless.
    /// </summary>
    public Tensor Forward(Tensor ids, KvCache cache, AttentionPath path, ReadOnlySpan<int> slots, ReadOnlySpan<int> counts, bool lastOnly = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(cache);
        if (ids.shape.Length != 2 || ids.shape[0] != slots.Length)
            throw new ArgumentException($"ids shape [{string.Join(", ", ids.shape)}] does not match {slots.Length} slots");
        if (path == AttentionPath.Packed)
        {
            var why = PackedPathUnavailable(cache) ?? (is_grad_enabled() ? "autograd is on (the C# attention records no gradient: run under no_grad())" : null);
            if (why is not null) throw new InvalidOperationException($"the packed attention path cannot run: {why}; use AttentionPath.Reference");
        }
        else if (path != AttentionPath.Reference) throw new ArgumentOutOfRangeException(nameof(path), path, "unknown attention path");
        long rows = ids.shape[0], chunk = ids.shape[1];
        using var step = cache.Begin(slots, counts, (int)chunk);
        using var scope = NewDisposeScope();
        Tensor hidden;
        if (path == AttentionPath.Packed)
        {
            // Only the valid tokens, row after row, no padding: (N, 1).
            var packed = step.ValidRows is { } valid ? ids.reshape(-1).index_select(0, valid).view(-1, 1) : ids.reshape(-1, 1); // (N, 1)
            var h = model.Forward(packed, cache, step, path).squeeze(1); // (N, C)
            hidden = !lastOnly ? Unpack(h, step, rows) // (B, T, C)
                : chunk == 1 ? h // (B, C): one token per row
                : h.index_select(0, tensor(step.LastTokens())); // (B, C)
        }
        else
        {
            hidden = model.Forward(ids, cache, step, path); // (B, T, C)
            if (lastOnly)
            {
                using var last = tensor(counts.ToArray().Select(c => (long)c - 1).ToArray()).view(-1, 1, 1); // (B, 1, 1)
                hidden = hidden.gather(1, last.expand(-1, 1, hidden.shape[2])).squeeze(1); // (B, C)
            }
        }
        cache.Commit(step);
        return lm_head.forward(hidden).MoveToOuterDisposeScope(); // (B, T, V) or (B, V)
    }

    /// <summary>
    /// Why steps over <paramref name="cache"/> cannot take <see cref="AttentionPath.Packed"/> (null when they can):
    /// it needs float32 weights and cache on the CPU (and, at each step, autograd off).
    /// </summary>
    public string? PackedPathUnavailable(KvCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return model.PackedUnavailable(cache);
    }

    /// <summary>Cached forward of one chunk for slots 0..B-1, every row using all T tokens.</summary>
    public Tensor Forward(Tensor ids, KvCache cache, AttentionPath path)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int rows = (int)ids.shape[0];
        return Forward(ids, cache, path, Enumerable.Range(0, rows).ToArray(), Enumerable.Repeat((int)ids.shape[1], rows).ToArray());
    }

    // Packed rows (N, C) back in the chunk's (B, T, C) layout, zeros at the padding.
    private static Tensor Unpack(Tensor packed, CacheStep step, long rows)
    {
        if (step.ValidRows is null) return packed.view(rows, step.Chunk, -1); // every token valid: packed order is row-major
        return zeros([rows * step.Chunk, packed.shape[1]], packed.dtype).index_copy_(0, step.ValidRows, packed).view(rows, step.Chunk, -1); // (B, T, C)
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
