// Key/value cache for incremental decoding: a fixed number of slots (rows), each a sequence at its own
// length, so rows can join, leave and be at different positions (continuous batching). Owns its tensors.
// A forward call appends a chunk of tokens to each of the slots it names (prefill: many tokens; decode:
// one per row; ragged chunks via per-row counts). Does not decide which sequence goes in which slot, and
// does not sample: that is the engine's job. Steps on the packed path (float32 on the CPU, no autograd)
// bypass torch: the cache hands its memory to DecodeAttention, which writes and attends in place.
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>
/// Per-layer keys and values of shape (slots, heads, max length, head dim), with a length per slot. The layout
/// is head-major so that each (slot, head)'s keys are one contiguous run that DecodeAttention scores in a pass.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys; // per layer (S, H, Tmax, D)
    private readonly Tensor[] _values; // per layer (S, H, Tmax, D)
    private readonly int[] _lengths;
    private readonly nint[] _keyMemory; // per layer: address of the (S, H, Tmax, D) float32 keys, for DecodeAttention
    private readonly nint[] _valueMemory;
    private readonly int _heads;
    private readonly int _headDim;
    private bool _disposed;

    /// <summary>An empty cache for <paramref name="slots"/> sequences of up to <paramref name="maxLength"/> tokens.</summary>
    public KvCache(ModelConfig config, int slots, int maxLength, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (slots <= 0) throw new ArgumentOutOfRangeException(nameof(slots), slots, "need at least one slot");
        if (maxLength <= 0 || maxLength > config.MaxPositionEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"must be in 1..{config.MaxPositionEmbeddings} (max_position_embeddings)");
        MemoryBudget.Check($"a KV cache of {slots} slots x {maxLength} tokens", Bytes(config, slots, maxLength, dtype));
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            _keys[i] = zeros([slots, config.NumAttentionHeads, maxLength, config.HeadDim], dtype);
            _values[i] = zeros([slots, config.NumAttentionHeads, maxLength, config.HeadDim], dtype);
        }
        _lengths = new int[slots];
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        _keyMemory = _keys.Select(Address).ToArray();
        _valueMemory = _values.Select(Address).ToArray();
        Slots = slots;
        MaxLength = maxLength;
    }

    /// <summary>Bytes of a cache: keys and values, per layer, of (slots, heads, max length, head dim) elements.</summary>
    public static double Bytes(ModelConfig config, int slots, int maxLength, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        return 2.0 * config.NumHiddenLayers * slots * maxLength * config.NumAttentionHeads * config.HeadDim * (dtype switch { ScalarType.Float64 => 8, ScalarType.Float32 => 4, _ => 2 });
    }

    public int Slots { get; }
    public int MaxLength { get; }

    /// <summary>True when packed steps can run <see cref="DecodeAttention"/> over the cache memory (float32 on the CPU, not disposed).</summary>
    internal bool HasCpuFloatMemory => !_disposed && _keyMemory.Length > 0 && _keyMemory[0] != 0;

    /// <summary>Bytes of keys and values one cached token takes (all layers) in float32: size a cache with it.</summary>
    public static long BytesPerToken(ModelConfig config) => 2L * config.NumHiddenLayers * config.HiddenSize * sizeof(float);

    /// <summary>Tokens cached in <paramref name="slot"/>.</summary>
    public int Length(int slot) => _lengths[CheckSlot(slot)];

    /// <summary>Empties a slot (its old entries are never read again).</summary>
    public void Reset(int slot) => _lengths[CheckSlot(slot)] = 0;

    /// <summary>Keeps only the first <paramref name="length"/> tokens of a slot (prefix reuse).</summary>
    public void Truncate(int slot, int length)
    {
        if (length < 0 || length > _lengths[CheckSlot(slot)])
            throw new ArgumentOutOfRangeException(nameof(length), length, $"slot {slot} holds {_lengths[slot]} tokens");
        _lengths[slot] = length;
    }

    /// <summary>Copies the first <paramref name="length"/> tokens of slot <paramref name="from"/> into slot <paramref name="to"/>.</summary>
    public void CopyPrefix(int from, int to, int length)
    {
        if (length < 0 || length > _lengths[CheckSlot(from)])
            throw new ArgumentOutOfRangeException(nameof(length), length, $"slot {from} holds {_lengths[from]} tokens");
        CheckSlot(to);
        using var scope = NewDisposeScope();
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i][to].narrow(1, 0, length).copy_(_keys[i][from].narrow(1, 0, length)); // (H, len, D)
            _values[i][to].narrow(1, 0, length).copy_(_values[i][from].narrow(1, 0, length)); // (H, len, D)
        }
        _lengths[to] = length;
    }

    /// <summary>Plans appending counts[b] tokens (of a (B, T) chunk) to slots[b]; checked against the capacity.</summary>
    internal CacheStep Begin(ReadOnlySpan<int> slots, ReadOnlySpan<int> counts, int chunk)
    {
        if (slots.Length != counts.Length)
            throw new ArgumentException($"{slots.Length} slots but {counts.Length} counts");
        var starts = new int[slots.Length];
        var seen = new HashSet<int>();
        for (int b = 0; b < slots.Length; b++)
        {
            CheckSlot(slots[b]);
            if (!seen.Add(slots[b])) throw new ArgumentException($"slot {slots[b]} appears twice in one step");
            if (counts[b] < 1 || counts[b] > chunk)
                throw new ArgumentOutOfRangeException(nameof(counts), counts[b], $"row {b}: count must be in 1..{chunk} (chunk length)");
            starts[b] = _lengths[slots[b]];
            if (starts[b] + counts[b] > MaxLength)
                throw new InvalidOperationException($"slot {slots[b]}: {starts[b]} + {counts[b]} tokens exceed the cache length {MaxLength}");
        }
        return new CacheStep(slots.ToArray(), counts.ToArray(), starts, chunk, MaxLength);
    }

    /// <summary>The reference path: writes the step's valid keys/values of one layer; returns keys and values (B, H, L, D) to attend over.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, CacheStep step, Tensor k, Tensor v) // k, v: (B, H, T, D)
    {
        using var scope = NewDisposeScope();
        Write(_keys[layer], step, k);
        Write(_values[layer], step, v);
        var keys = Read(_keys[layer], step); // (B, H, L, D)
        var values = Read(_values[layer], step); // (B, H, L, D)
        return (keys.MoveToOuterDisposeScope(), values.MoveToOuterDisposeScope());
    }

    // A scatter of the valid (row, token) entries to (slot, position).
    private static void Write(Tensor cache, CacheStep step, Tensor x) // cache: (S, H, Tmax, D); x: (B, H, T, D)
    {
        long b = x.shape[0], h = x.shape[1], t = x.shape[2], d = x.shape[3];
        var flat = x.transpose(1, 2).reshape(b * t, h, d); // (B*T, H, D)
        if (step.ValidRows is not null) flat = flat.index_select(0, step.ValidRows); // (N, H, D)
        cache.transpose(1, 2).index_put_(flat, step.WriteSlots, step.WritePositions); // writes through the (S, Tmax, H, D) view
    }

    // A gather of the B slots, up to the attend length only.
    private static Tensor Read(Tensor cache, CacheStep step) => // cache: (S, H, Tmax, D)
        cache.narrow(2, 0, step.AttendLength).index_select(0, step.SlotIndex); // (B, H, L, D)

    /// <summary>
    /// One layer of a packed step in C#: q, k, v (N, 1, H*D) are the raw projections (before the rotary
    /// embedding) of the step's N valid tokens in packed order (<see cref="CacheStep.TokenSlots"/>); writes
    /// every rotated key and value at its slot and position, then returns the attention outputs (N, 1, H*D),
    /// each token over its slot up to its own position. Needs <see cref="HasCpuFloatMemory"/> and float32 inputs.
    /// </summary>
    internal unsafe Tensor AttendPacked(int layer, CacheStep step, Tensor q, Tensor k, Tensor v, RotaryEmbedding rope)
    {
        long n = q.shape[0], c = q.shape[2];
        if (!HasCpuFloatMemory || q.shape[1] != 1 || n != step.TokenCount || c != (long)_heads * _headDim
            || q.dtype != float32 || k.dtype != float32 || v.dtype != float32 || !k.shape.SequenceEqual(q.shape) || !v.shape.SequenceEqual(q.shape))
            throw new InvalidOperationException($"packed attention needs a live float32 CPU cache and float32 ({step.TokenCount}, 1, {_heads * _headDim}) q, k, v; got [{string.Join(", ", q.shape)}] {q.dtype}");
        var y = empty([n, 1, c], float32); // (N, 1, C)
        var positions = step.TokenPositions;
        long keys = 0; // (token, key) pairs to attend over; times the heads, the work
        foreach (var p in positions) keys += p + 1L;
        int threads = keys * _heads >= ParallelWork ? Math.Min(get_num_threads(), (int)n) : 1;
        fixed (byte* pq = q.contiguous().bytes, pk = k.contiguous().bytes, pv = v.contiguous().bytes, py = y.bytes)
        {
            var call = new DecodeAttention.Call((nint)pq, (nint)pk, (nint)pv, (nint)py, _keyMemory[layer], _valueMemory[layer],
                                                step.TokenSlots, positions, _heads, _headDim, MaxLength, rope.HalfCos, rope.HalfSin);
            DecodeAttention.Write(call, 0, (int)n); // every key first: a chunk's later tokens attend to its earlier ones
            if (threads <= 1) DecodeAttention.Attend(call, 0, (int)n);
            else
            {
                var bounds = Split(positions, keys, threads);
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                             w => DecodeAttention.Attend(call, bounds[w], bounds[w + 1]));
            }
        }
        return y;
    }

    // Cuts tokens into `parts` consecutive ranges of about equal attention work (a token at position p attends
    // over p + 1 keys): a 400-token prefill row beside 60 decode rows would otherwise land on one thread.
    private static int[] Split(int[] positions, long total, int parts) // total: the sum of (p + 1)
    {
        var bounds = new int[parts + 1];
        long done = 0;
        int part = 1;
        for (int i = 0; i < positions.Length && part < parts; i++)
        {
            done += positions[i] + 1L;
            while (part < parts && done * parts >= total * part) bounds[part++] = i + 1;
        }
        for (; part <= parts; part++) bounds[part] = positions.Length;
        return bounds;
    }

    // Below this many (token, head, key) triples (about 0.15 ms on one core) a packed step's attention stays on the
    // calling thread: torch's idle OpenMP workers spin for a while after each op and would compete with ours.
    private const long ParallelWork = 1L << 15;

    // Address of a contiguous float32 CPU tensor's first element (0 otherwise); read from slot 0's view so
    // that the span length stays small whatever the cache size.
    private static unsafe nint Address(Tensor cache)
    {
        if (cache.dtype != float32 || cache.device_type != TorchSharp.DeviceType.CPU || !cache.is_contiguous()) return 0;
        using var first = cache.narrow(0, 0, 1);
        fixed (byte* p = first.bytes) return (nint)p;
    }

    /// <summary>Advances the slots' lengths once every layer has written its entries.</summary>
    internal void Commit(CacheStep step)
    {
        for (int b = 0; b < step.Slots.Length; b++)
            _lengths[step.Slots[b]] = step.Starts[b] + step.Counts[b];
    }

    private int CheckSlot(int slot) =>
        slot >= 0 && slot < Slots ? slot : throw new ArgumentOutOfRangeException(nameof(slot), slot, $"cache has {Slots} slots");

    public void Dispose()
    {
        _disposed = true;
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
