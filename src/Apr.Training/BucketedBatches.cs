// Groups sequences of similar length into micro-batches of at most a token budget (rows x longest row),
// so little compute goes to padding; a new grouping and order every epoch, from the seed. Deterministic:
// (seed, epoch, index) always names the same batch, which is what makes resuming exact.
using Apr.Core;

namespace Apr.Training;

/// <summary>Length-bucketed micro-batches of sequence indices.</summary>
public sealed class BucketedBatches
{
    private readonly int[] _lengths;
    private readonly int _budget;
    private readonly ulong _seed;
    private int _epoch = -1;
    private List<int[]> _plan = [];

    /// <summary>Plans batches over sequences of the given lengths with at most <paramref name="batchTokens"/> padded tokens each.</summary>
    public BucketedBatches(IReadOnlyList<int> lengths, int batchTokens, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Count == 0) throw new ArgumentException("no sequences to batch");
        int longest = lengths.Max();
        if (batchTokens < longest) throw new ArgumentOutOfRangeException(nameof(batchTokens), batchTokens, $"smaller than the longest sequence ({longest} tokens)");
        _lengths = lengths.ToArray();
        _budget = batchTokens;
        _seed = seed;
    }

    /// <summary>The batches of one epoch, in training order.</summary>
    public IReadOnlyList<int[]> Epoch(int epoch)
    {
        if (epoch != _epoch)
        {
            _plan = Plan(epoch);
            _epoch = epoch;
        }
        return _plan;
    }

    /// <summary>Share of padded positions in an epoch's batches.</summary>
    public double PaddingFraction(int epoch)
    {
        long real = 0, padded = 0;
        foreach (var batch in Epoch(epoch))
        {
            int max = batch.Max(i => _lengths[i]);
            padded += (long)max * batch.Length;
            real += batch.Sum(i => (long)_lengths[i]);
        }
        return 1.0 - (double)real / padded;
    }

    private List<int[]> Plan(int epoch)
    {
        ulong epochSeed = Rng.Mix(_seed, (ulong)epoch);
        var keys = new ulong[_lengths.Length];
        for (int i = 0; i < keys.Length; i++)
            keys[i] = Rng.ForItem(epochSeed, (ulong)i).NextUInt64(); // ties in length broken randomly per epoch
        var order = Enumerable.Range(0, _lengths.Length).OrderBy(i => _lengths[i]).ThenBy(i => keys[i]).ToArray();
        var batches = new List<int[]>();
        var current = new List<int>();
        foreach (int i in order)
        {
            int max = current.Count == 0 ? _lengths[i] : Math.Max(_lengths[i], _lengths[current[^1]]);
            if (current.Count > 0 && (current.Count + 1) * max > _budget)
            {
                batches.Add([.. current]);
                current.Clear();
            }
            current.Add(i);
        }
        if (current.Count > 0) batches.Add([.. current]);
        var rng = new Rng(epochSeed);
        var shuffled = batches.ToArray();
        rng.Shuffle<int[]>(shuffled);
        return [.. shuffled];
    }
}
