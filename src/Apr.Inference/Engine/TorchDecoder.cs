// TorchDecoder: IDecoder over the TorchSharp Llama model and its slot KV cache. An engine step is one model
// forward whatever its rows' chunk lengths and cached lengths, on the attention path fixed at construction:
// Packed (the default; float32 weights on the CPU) packs the rows' tokens without padding and each token
// attends over its own slot only, so grouping rows (by chunk or cached length, as the torch path once
// needed) would only add calls; Reference runs the same step with torch ops, padded to the longest chunk
// (slow on mixed steps), to check the packed path end to end.
// Returns numbers (logits copied to a span), never tensors. Does not sample.
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Inference;

public sealed class TorchDecoder : IDecoder
{
    private readonly LlamaForCausalLm _model;
    private readonly KvCache _cache;

    /// <summary>
    /// A decoder over <paramref name="model"/> with <paramref name="slots"/> cache slots of <paramref name="maxLength"/>
    /// tokens, every step attending on <paramref name="path"/>.
    /// </summary>
    public TorchDecoder(LlamaForCausalLm model, int slots, int maxLength, AttentionPath path = AttentionPath.Packed)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _cache = new KvCache(model.Config, slots, Math.Min(maxLength, model.Config.MaxPositionEmbeddings));
        if (path == AttentionPath.Packed && model.PackedPathUnavailable(_cache) is { } why)
        {
            _cache.Dispose();
            throw new ArgumentException($"the packed attention path cannot run: {why}; use AttentionPath.Reference", nameof(path));
        }
        _model.eval();
        Path = path;
    }

    /// <summary>The attention path of every step.</summary>
    public AttentionPath Path { get; }

    public LlamaForCausalLm Model => _model;
    public int VocabSize => _model.Config.VocabSize;
    public int Slots => _cache.Slots;
    public int MaxLength => _cache.MaxLength;

    /// <summary>Model forward calls made: one per <see cref="Forward"/> with rows.</summary>
    public long ModelCalls { get; private set; }

    public int Length(int slot) => _cache.Length(slot);

    public void Truncate(int slot, int length)
    {
        if (length == 0) _cache.Reset(slot);
        else _cache.Truncate(slot, length);
    }

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int v = VocabSize, b = rows.Count;
        if (logits.Length < b * v) throw new ArgumentException($"logits span holds {logits.Length} floats; {b} rows need {b * v}");
        if (b == 0) return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int t = rows.Max(r => r.Tokens.Length);
        var ids = new long[b * t];
        var slots = new int[b];
        var counts = new int[b];
        for (int i = 0; i < b; i++)
        {
            slots[i] = rows[i].Slot;
            counts[i] = rows[i].Tokens.Length;
            for (int j = 0; j < counts[i]; j++) ids[i * t + j] = rows[i].Tokens[j];
        }
        var input = tensor(ids).view(b, t); // (B, T), padded with id 0
        var output = _model.Forward(input, _cache, Path, slots, counts, lastOnly: true).to(float32).contiguous(); // (B, V)
        // (B*V,) read in place: per-element accessor reads cost ms at 64 rows x 1,300
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(output.bytes)[..(b * v)].CopyTo(logits);
        ModelCalls++;
    }

    public void Dispose() => _cache.Dispose();
}
