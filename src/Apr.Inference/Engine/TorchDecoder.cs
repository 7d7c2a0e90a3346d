// TorchDecoder: IDecoder over the TorchSharp Llama model and its slot KV cache. One engine step may
// become a few model forwards: rows are grouped by chunk length so that padding stays under half of
// each forward's work (a 400-token prefill is not padded onto 60 single-token decode rows).
// Returns numbers (logits copied to a span), never tensors. Does not sample.
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Inference;

public sealed class TorchDecoder : IDecoder
{
    private readonly LlamaForCausalLm _model;
    private readonly KvCache _cache;

    /// <summary>A decoder over <paramref name="model"/> with <paramref name="slots"/> cache slots of <paramref name="maxLength"/> tokens.</summary>
    public TorchDecoder(LlamaForCausalLm model, int slots, int maxLength)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _model.eval();
        _cache = new KvCache(model.Config, slots, Math.Min(maxLength, model.Config.MaxPositionEmbeddings));
    }

    public LlamaForCausalLm Model => _model;
    public int VocabSize => _model.Config.VocabSize;
    public int Slots => _cache.Slots;
    public int MaxLength => _cache.MaxLength;

    /// <summary>Model forward calls made (one engine step may take several).</summary>
    public long ModelCalls { get; private set; }

    /// <summary>Padded token positions computed (rows x chunk length, summed).</summary>
    public long PaddedTokens { get; private set; }

    public int Length(int slot) => _cache.Length(slot);

    public void Truncate(int slot, int length)
    {
        if (length == 0) _cache.Reset(slot);
        else _cache.Truncate(slot, length);
    }

    public void Forward(IReadOnlyList<DecodeRow> rows, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int v = VocabSize;
        if (logits.Length < rows.Count * v) throw new ArgumentException($"logits span holds {logits.Length} floats; {rows.Count} rows need {rows.Count * v}");
        foreach (var group in Groups(rows))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            int b = group.Count, t = rows[group[0]].Tokens.Length;
            var ids = new long[b * t];
            var slots = new int[b];
            var counts = new int[b];
            for (int i = 0; i < b; i++)
            {
                var row = rows[group[i]];
                slots[i] = row.Slot;
                counts[i] = row.Tokens.Length;
                for (int j = 0; j < row.Tokens.Length; j++) ids[i * t + j] = row.Tokens[j];
            }
            var input = tensor(ids).view(b, t); // (B, T)
            var output = _model.Forward(input, _cache, slots, counts, lastOnly: true).to(float32).contiguous(); // (B, V)
            var values = output.data<float>();
            for (int i = 0; i < b; i++)
                for (int j = 0; j < v; j++) logits[group[i] * v + j] = values[i * v + j];
            ModelCalls++;
            PaddedTokens += (long)b * t;
        }
    }

    // Rows sorted by chunk length (longest first), cut into groups whose padded size is at most twice the
    // real tokens; each group keeps slot order within it where lengths tie.
    private static List<List<int>> Groups(IReadOnlyList<DecodeRow> rows)
    {
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(i => rows[i].Tokens.Length).ThenBy(i => rows[i].Slot).ToList();
        var groups = new List<List<int>>();
        List<int>? current = null;
        long real = 0;
        int width = 0;
        foreach (var i in order)
        {
            int c = rows[i].Tokens.Length;
            if (current is null || (long)width * (current.Count + 1) > 2 * (real + c))
            {
                current = [];
                groups.Add(current);
                width = c;
                real = 0;
            }
            current.Add(i);
            real += c;
        }
        return groups;
    }

    public void Dispose() => _cache.Dispose();
}
