// The index tensors for one cached forward call: where each row's new tokens go, their positions, and the
// attention mask. Built once per call by KvCache.Begin and shared by every layer. Internal plumbing.
using static TorchSharp.torch;

namespace Apr.Model;

internal sealed class CacheStep : IDisposable
{
    public CacheStep(int[] slots, int[] counts, int[] starts, int chunk, int maxLength)
    {
        Slots = slots;
        Counts = counts;
        Starts = starts;
        int rows = slots.Length;
        AttendLength = 0;
        var positions = new long[rows * chunk];
        var writeSlots = new List<long>();
        var writePositions = new List<long>();
        var valid = new List<long>();
        for (int b = 0; b < rows; b++)
        {
            AttendLength = Math.Max(AttendLength, starts[b] + counts[b]);
            for (int t = 0; t < chunk; t++)
            {
                positions[b * chunk + t] = Math.Min(starts[b] + t, maxLength - 1); // padding past the end is clamped; never read
                if (t >= counts[b]) continue;
                writeSlots.Add(slots[b]);
                writePositions.Add(starts[b] + t);
                valid.Add(b * chunk + t);
            }
        }
        Positions = tensor(positions).view(rows, chunk); // (B, T)
        ContiguousFrom = IsRun(slots) ? slots[0] : -1;
        SameStart = starts.All(s => s == starts[0]);
        AllValid = valid.Count == rows * chunk;
        if (!InPlaceWrite) // index tensors only for the scatter path (see KvCache.Write)
        {
            WriteSlots = tensor(writeSlots.ToArray()); // (N,)
            WritePositions = tensor(writePositions.ToArray()); // (N,)
            ValidRows = AllValid ? null : tensor(valid.ToArray()); // (N,) or null when all valid
        }
        if (ContiguousFrom < 0) SlotIndex = tensor(slots.Select(s => (long)s).ToArray()); // (B,)
        if (chunk == 1 && SameStart) Mask = null; // one query per row and every row sees all L keys
        else
        {
            using var keyPositions = arange(AttendLength, dtype: int64).view(1, 1, AttendLength); // (1, 1, L)
            Mask = keyPositions.le(Positions.unsqueeze(2)).unsqueeze(1); // (B, 1, T, L): key j visible to query at p iff j <= p
        }
    }

    public int[] Slots { get; }
    public int[] Counts { get; }
    public int[] Starts { get; }
    public int AttendLength { get; }
    public Tensor Positions { get; }
    public bool AllValid { get; }

    /// <summary>Consecutive slots, one start, every token valid: the chunk is written with one strided copy.</summary>
    public bool InPlaceWrite => ContiguousFrom >= 0 && SameStart && AllValid;

    /// <summary>Scatter targets (N,) of the valid tokens; null when <see cref="InPlaceWrite"/>.</summary>
    public Tensor? WriteSlots { get; }
    public Tensor? WritePositions { get; }
    public Tensor? ValidRows { get; }
    public int ContiguousFrom { get; }

    /// <summary>The slots as an index (B,); null when they are consecutive (read as a view).</summary>
    public Tensor? SlotIndex { get; }
    public bool SameStart { get; }

    /// <summary>(B, 1, T, L) keys visible to each query, or null when every query sees all L keys.</summary>
    public Tensor? Mask { get; }

    private static bool IsRun(int[] slots)
    {
        for (int i = 1; i < slots.Length; i++)
            if (slots[i] != slots[0] + i) return false;
        return true;
    }

    public void Dispose()
    {
        Positions.Dispose();
        WriteSlots?.Dispose();
        WritePositions?.Dispose();
        ValidRows?.Dispose();
        SlotIndex?.Dispose();
        Mask?.Dispose();
    }
}
