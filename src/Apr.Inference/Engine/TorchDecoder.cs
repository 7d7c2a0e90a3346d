// TorchDecoder: IDecoder over the TorchSharp Llama model and its slot KV cache. With float32 weights on
// the CPU an engine step is one model forward whatever its rows' chunk lengths: the model's C# attention
// packs the rows' tokens without padding. Otherwise (the torch path) rows are grouped by chunk length so
// that padding stays under half of each forward's work (a 400-token prefill is not padded onto 60
// single-token decode rows).
// Returns numbers (logits copied to a span), never tensors. Does not sample.
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Inference;

public sealed class TorchDecoder : IDecoder
{
    private readonly LlamaForCausalLm _model;
    private readonly KvCache _cache;
    private readonly bool _directDecode; // float32 CPU weights: one-token rows can take the model's C# attention

    /// <summary>A decoder over <paramref name="model"/> with <paramref name="slots"/> cache slots of <paramref name="maxLength"/> tokens.</summary>
    public TorchDecoder(LlamaForCausalLm model, int slots, int maxLength)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _model.eval();
        _cache = new KvCache(model.Config, slots, Math.Min(maxLength, model.Config.MaxPositionEmbeddings));
        var weights = model.NamedParameters()[0].Parameter;
        _directDecode = weights.dtype == float32 && weights.device_type == TorchSharp.DeviceType.CPU;
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
            int b = group.Count, t = group.Max(i => rows[i].Tokens.Length);
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
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(output.bytes); // (B*V,) read in place: per-element accessor reads cost ms at 64 rows x 1,300
            for (int i = 0; i < b; i++)
                values.Slice(i * v, v).CopyTo(logits.Slice(group[i] * v, v));
            ModelCalls++;
            PaddedTokens += (long)b * t;
        }
    }

    // Rows sorted by chunk length (longest first), cut into groups whose padded chunk size is at most twice
    // the real tokens; each group is then cut again by cached length (the model gathers every row's keys up
    // to the group's longest row, so a fresh child should not attend as far as a 3,000-token parent).
    // None of that applies when the model runs attention in C# (DecodeAttention): each token attends over
    // exactly its own slot up to its position, with no padding and no gather, so every row shares one forward
    // (only the one-token rows without the model's DirectChunks; the rest are grouped as above).
    private List<List<int>> Groups(IReadOnlyList<DecodeRow> rows)
    {
        var groups = new List<List<int>>();
        var rest = Enumerable.Range(0, rows.Count).ToList();
        if (_directDecode && _model.DirectDecode)
        {
            var direct = _model.DirectChunks ? rest : rest.Where(i => rows[i].Tokens.Length == 1).ToList();
            if (direct.Count > 0) groups.Add(direct);
            if (_model.DirectChunks) return groups;
            rest = rest.Where(i => rows[i].Tokens.Length != 1).ToList();
        }
        // Long rows run alone: a group attends up to its longest row, and rows in non-consecutive slots are
        // gathered (a (B, H, L, D) copy per layer); past about SoloContext tokens that cost more than a forward
        // per row (measured before the cache was head-major and read as a view for consecutive slots).
        var solo = rest.Where(i => _cache.Length(rows[i].Slot) + rows[i].Tokens.Length >= SoloContext).ToList();
        foreach (var i in solo) groups.Add([i]);
        foreach (var byChunk in Cut(rest.Where(i => !solo.Contains(i)).OrderByDescending(i => rows[i].Tokens.Length).ThenBy(i => rows[i].Slot),
                                    i => rows[i].Tokens.Length, descending: true, minRows: 1))
            groups.AddRange(Cut(byChunk.OrderBy(i => _cache.Length(rows[i].Slot) + rows[i].Tokens.Length).ThenBy(i => rows[i].Slot),
                                i => _cache.Length(rows[i].Slot) + rows[i].Tokens.Length, descending: false, minRows: MinRowsPerLengthGroup));
        return groups;
    }

    /// <summary>
    /// Rows whose context (cached + new tokens) reaches this length get a forward of their own. Measured on
    /// the default preset, 1 thread: 16 rows at 2,000 cached tokens take 145 ms batched, 16 x 5.4 ms alone;
    /// batching wins below about 800 tokens. int.MaxValue disables it. Only the torch path groups: while the
    /// model's <see cref="LlamaForCausalLm.DirectDecode"/> applies (float32 weights on the CPU) a step is one forward.
    /// </summary>
    public int SoloContext { get; init; } = 768;

    /// <summary>A group is not split by cached length below this many rows (each model call has a fixed overhead).</summary>
    public int MinRowsPerLengthGroup { get; init; } = 4;

    // Greedy cut of an ordered sequence: a new group starts when padding every member to the group's
    // largest size would cost more than twice the real sizes (and the group already has minRows members).
    private static List<List<int>> Cut(IEnumerable<int> ordered, Func<int, int> size, bool descending, int minRows)
    {
        var groups = new List<List<int>>();
        List<int>? current = null;
        long real = 0;
        int width = 0;
        foreach (var i in ordered)
        {
            int c = size(i);
            int w = current is null ? c : descending ? width : Math.Max(width, c);
            if (current is null || (current.Count >= minRows && (long)w * (current.Count + 1) > 2 * (real + c)))
            {
                current = [];
                groups.Add(current);
                real = 0;
                w = c;
            }
            current.Add(i);
            real += c;
            width = w;
        }
        return groups;
    }

    public void Dispose() => _cache.Dispose();
}
