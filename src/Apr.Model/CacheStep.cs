// The plan for one cached forward call: where each row's new tokens go, their positions, every valid
// token's slot and position in packed order (the packed path, DecodeAttention), and (built on first use,
// shared by every layer) the index tensors and attention mask of the reference path, which always scatters,
// gathers and masks (no shortcut for consecutive slots or equal starts: it is the path the fast one is
// checked against). A packed step needs none of those tensors but the packing index, so it never builds them. They are detached from
// any dispose scope (the first layer's scope must not free them) and owned by this object. Internal plumbing.
using static TorchSharp.torch;

namespace Apr.Model;

internal sealed class CacheStep : IDisposable
{
    private readonly int _maxLength;
    private Tensor? _positions;
    private Tensor? _writeSlots;
    private Tensor? _writePositions;
    private Tensor? _validRows;
    private Tensor? _slotIndex;
    private Tensor? _mask;
    private int[]? _tokenSlots;
    private int[]? _tokenPositions;

    public CacheStep(int[] slots, int[] counts, int[] starts, int chunk, int maxLength)
    {
        Slots = slots;
        Counts = counts;
        Starts = starts;
        Chunk = chunk;
        _maxLength = maxLength;
        AttendLength = 0;
        TokenCount = counts.Sum();
        bool allValid = true;
        for (int b = 0; b < slots.Length; b++)
        {
            AttendLength = Math.Max(AttendLength, starts[b] + counts[b]);
            allValid &= counts[b] == chunk;
        }
        AllValid = allValid;
    }

    public int[] Slots { get; }
    public int[] Counts { get; }
    public int[] Starts { get; }
    public int AttendLength { get; }

    /// <summary>Tokens per row in the call's (B, T) chunk.</summary>
    public int Chunk { get; }

    /// <summary>Every row uses all <see cref="Chunk"/> tokens (no padding).</summary>
    public bool AllValid { get; }

    /// <summary>Valid tokens of the step (the sum of the counts).</summary>
    public int TokenCount { get; }

    /// <summary>Slot of every valid token, row after row (the packed order); the slots themselves for one-token rows.</summary>
    public int[] TokenSlots => Chunk == 1 ? Slots : _tokenSlots ??= Pack((b, t) => Slots[b]);

    /// <summary>Position of every valid token, in the order of <see cref="TokenSlots"/>.</summary>
    public int[] TokenPositions => Chunk == 1 ? Starts : _tokenPositions ??= Pack((b, t) => Starts[b] + t);

    /// <summary>Index in the packed order of each row's last valid token (B,).</summary>
    public long[] LastTokens()
    {
        var last = new long[Slots.Length];
        long at = -1;
        for (int b = 0; b < Slots.Length; b++) last[b] = at += Counts[b];
        return last;
    }

    private int[] Pack(Func<int, int, int> value)
    {
        var packed = new int[TokenCount];
        int n = 0;
        for (int b = 0; b < Slots.Length; b++)
            for (int t = 0; t < Counts[b]; t++) packed[n++] = value(b, t);
        return packed;
    }

    /// <summary>Position of every (row, token) of the chunk (B, T); padding past the cache end is clamped (never read).</summary>
    public Tensor Positions => _positions ??= BuildPositions();

    /// <summary>Scatter targets (N,) of the valid tokens: their slots and positions (the reference path's KvCache.Write).</summary>
    public Tensor WriteSlots => _writeSlots ??= Longs(TokenSlots);
    public Tensor WritePositions => _writePositions ??= Longs(TokenPositions);

    /// <summary>Flat (row * T + token) indices (N,) of the valid tokens, or null when all are valid.</summary>
    public Tensor? ValidRows => AllValid ? null : _validRows ??= Longs(Pack((b, t) => b * Chunk + t));

    /// <summary>The slots as an index (B,), to gather their keys and values.</summary>
    public Tensor SlotIndex => _slotIndex ??= Longs(Slots); // (B,)

    /// <summary>(B, 1, T, L) keys visible to each query: key j to the query at position p iff j &lt;= p.</summary>
    public Tensor Mask
    {
        get
        {
            if (_mask is null)
            {
                using var keyPositions = arange(AttendLength, dtype: int64).view(1, 1, AttendLength); // (1, 1, L)
                using var visible = keyPositions.le(Positions.unsqueeze(2)); // (B, T, L): key j visible to query at p iff j <= p
                _mask = visible.unsqueeze(1).DetachFromDisposeScope(); // (B, 1, T, L)
            }
            return _mask;
        }
    }

    private Tensor BuildPositions()
    {
        int rows = Slots.Length;
        var positions = new long[rows * Chunk];
        for (int b = 0; b < rows; b++)
            for (int t = 0; t < Chunk; t++)
                positions[b * Chunk + t] = Math.Min(Starts[b] + t, _maxLength - 1);
        using var flat = tensor(positions); // (B*T,)
        return flat.view(rows, Chunk).DetachFromDisposeScope(); // (B, T)
    }

    private static Tensor Longs(int[] values) => tensor(values.Select(v => (long)v).ToArray()).DetachFromDisposeScope(); // (N,)

    public void Dispose()
    {
        _positions?.Dispose();
        _writeSlots?.Dispose();
        _writePositions?.Dispose();
        _validRows?.Dispose();
        _slotIndex?.Dispose();
        _mask?.Dispose();
    }
}
