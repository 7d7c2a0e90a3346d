// LevelScratch: the reusable buffers of one nesting level of search (a SoS+ dive level or an APR thread
// level): the open set, the popped nodes, all successors of the node being expanded (stable-sorted by
// key, as the reference's list.sort), the shuffled order of the kept batch, the kept non-terminal
// nodes, and (for APR) the text of the thread running at this level.
//
// One per level because a dive or a child thread runs while its caller still needs its own buffers.
// It does not write trace text.
using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Search;

internal sealed class LevelScratch
{
    public const int MaxSuccessors = 64;   // C(6,2) pairs * 4 operations = 60

    public readonly OpenSet Open = new();
    public readonly int[] Current = new int[SearchLimits.MaxBeam];
    public readonly Candidate[] All = new Candidate[MaxSuccessors];
    public readonly int[] Perm = new int[MaxSuccessors];
    public readonly int[] Explore = new int[MaxSuccessors];
    public readonly StringBuilder Text = new(4096);
    public int AllCount;
    public int ExploreCount;

    /// <summary>Fills <see cref="All"/> with every successor of <paramref name="node"/> in the reference order, then stable-sorts by key.</summary>
    public void Generate(NodeArena arena, int node, HeuristicTable h)
    {
        var nums = arena.NumsOf(node);
        var len = nums.Length;
        Span<long> dist = stackalloc long[NodeArena.Stride];
        long total = 0;
        for (var m = 0; m < len; m++) total += dist[m] = h.Distance(nums[m]);
        Span<Operation> ops = stackalloc Operation[Arithmetic.MaxPerPair];
        var all = All;
        var n = 0;
        for (var i = 0; i < len; i++)
        {
            for (var j = i + 1; j < len; j++)
            {
                var rest = total - dist[i] - dist[j];
                var count = Arithmetic.Combine(nums[i], nums[j], ops);
                for (var c = 0; c < count; c++)
                {
                    ref var cand = ref all[n++];
                    cand.Op = ops[c];
                    cand.Key = h.KeyFromSum(rest + h.Distance(ops[c].Result), len - 1);
                    cand.I = i;
                    cand.J = j;
                }
            }
        }
        // Stable insertion sort by key (n <= 60).
        for (var a = 1; a < n; a++)
        {
            if (all[a - 1].Key <= all[a].Key) continue;
            var x = all[a];
            var b = a - 1;
            while (b >= 0 && all[b].Key > x.Key)
            {
                all[b + 1] = all[b];
                b--;
            }
            all[b + 1] = x;
        }
        AllCount = n;
    }

    /// <summary>Stable-partitions <see cref="All"/>: successors of <paramref name="nums"/> from which <paramref name="target"/> can be reached first.</summary>
    public void ReachableFirst(ReadOnlySpan<long> nums, long target)
    {
        Span<long> next = stackalloc long[NodeArena.Stride];
        Span<bool> reachable = stackalloc bool[AllCount];
        for (var i = 0; i < AllCount; i++)
        {
            var len = Apply(nums, All[i], next);
            reachable[i] = len == 1 ? next[0] == target : ExhaustiveSolver.IsSolvable(target, next[..len]);
        }
        StablePartition(reachable);
    }

    /// <summary>Stable-partitions <see cref="All"/>: the successors marked in <paramref name="first"/> first, the others after them with <paramref name="restKeyOffset"/> added to their keys.</summary>
    private void StablePartition(ReadOnlySpan<bool> first, long restKeyOffset = 0)
    {
        var tmp = new Candidate[AllCount];
        var n = 0;
        for (var i = 0; i < AllCount; i++)
            if (first[i]) tmp[n++] = All[i];
        for (var i = 0; i < AllCount; i++)
        {
            if (first[i]) continue;
            tmp[n] = All[i];
            tmp[n++].Key += restKeyOffset;
        }
        tmp.CopyTo(All, 0);
    }

    /// <summary>
    /// Re-orders <see cref="All"/> by <paramref name="scorer"/>'s rating, highest first, and gives each successor the key
    /// <see cref="ScoredKey"/> so the open set and the spawn order agree with the ranking. Ties (scores within 1e-6) keep
    /// the heuristic's order, so a scorer that rates every state alike leaves the search exactly as the heuristic runs
    /// it. The successors of a two-number node (verdicts) keep the heuristic's order. A NaN score counts as 0.
    /// </summary>
    public void ScoredFirst(ReadOnlySpan<long> nums, long target, ISuccessorScorer scorer)
    {
        // Every successor of a node has one number fewer: those of a two-number node are all verdicts (one number), left
        // in the heuristic's order, so the learned part is the ranking of states that still need a search.
        if (nums.Length <= 2) return;
        Span<long> next = stackalloc long[NodeArena.Stride];
        var states = new List<long[]>(AllCount);
        for (var i = 0; i < AllCount; i++) states.Add(next[..Apply(nums, All[i], next)].ToArray());
        var score = new double[AllCount];
        scorer.Score(target, states, score);
        var key = new long[AllCount];
        for (var i = 0; i < AllCount; i++) key[i] = ScoredKey(double.IsNaN(score[i]) ? 0 : score[i], All[i].Key);
        var order = Enumerable.Range(0, AllCount).OrderBy(i => key[i]).ThenBy(i => i).ToArray();
        var tmp = new Candidate[AllCount];
        for (var i = 0; i < AllCount; i++)
        {
            tmp[i] = All[order[i]];
            tmp[i].Key = key[order[i]];
        }
        tmp.CopyTo(All, 0);
    }

    /// <summary>What is added to the key of a successor that <see cref="KnownLast"/> puts last: more than any scored or heuristic key.</summary>
    public const long KnownKeyOffset = 1L << 61;

    /// <summary>
    /// Stable-partitions <see cref="All"/>: successors whose state is neither in <paramref name="known"/> nor a repeat of an
    /// earlier successor's state first, the others after them with <see cref="KnownKeyOffset"/> added to their keys. Successors
    /// that leave one number (verdicts) are never known.
    /// </summary>
    public void KnownLast(ReadOnlySpan<long> nums, KnownStates known)
    {
        Span<long> next = stackalloc long[NodeArena.Stride];
        var fresh = new bool[AllCount]; // not stackalloc: this module skips zeroing it
        var repeats = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < AllCount; i++)
        {
            var len = Apply(nums, All[i], next);
            fresh[i] = len == 1 || (KnownStates.Key(next[..len]) is var key && !known.Contains(key) && repeats.Add(key));
        }
        StablePartition(fresh, KnownKeyOffset);
    }

    /// <summary>Stable-partitions a shuffled batch (indices into <paramref name="all"/>): the successors KnownLast put last are explored after the new ones.</summary>
    public static void KnownAfterNew(Candidate[] all, Span<int> perm)
    {
        Span<int> tmp = stackalloc int[perm.Length];
        var n = 0;
        foreach (var i in perm) if (all[i].Key < KnownKeyOffset) tmp[n++] = i;
        foreach (var i in perm) if (all[i].Key >= KnownKeyOffset) tmp[n++] = i;
        tmp.CopyTo(perm);
    }

    /// <summary>The key of a scored successor: the score (clamped to [0, 1], quantized to 1e-6) first, highest first; the heuristic key within a tie.</summary>
    public static long ScoredKey(double score, long heuristicKey) =>
        (long)Math.Round((1 - Math.Clamp(score, 0, 1)) * 1e6) * (1L << 31) + Math.Clamp(heuristicKey, 0, int.MaxValue);

    /// <summary>
    /// Indices into <see cref="All"/> of <paramref name="count"/> successors from <paramref name="offset"/>, in
    /// shuffled order. Shuffling the indices with Rng.Shuffle draws exactly what shuffling the
    /// candidates themselves would, and gives the same order, without moving 48-byte structs.
    /// </summary>
    public ReadOnlySpan<int> Shuffled(int offset, int count, ref Rng rng)
    {
        var perm = Perm.AsSpan(0, count);
        for (var i = 0; i < count; i++) perm[i] = offset + i;
        rng.Shuffle(perm);
        return perm;
    }

    /// <summary>The numbers after applying <paramref name="cand"/> to <paramref name="nums"/>: untouched ones in order, then the result.</summary>
    public static int Apply(ReadOnlySpan<long> nums, in Candidate cand, Span<long> into)
    {
        var m = 0;
        for (var k = 0; k < nums.Length; k++)
            if (k != cand.I && k != cand.J) into[m++] = nums[k];
        into[m++] = cand.Op.Result;
        return m;
    }

    /// <summary>Stable-sorts the kept non-terminal nodes by key (the reference's nodes_to_explore.sort()).</summary>
    public void SortExplore(NodeArena arena)
    {
        var e = Explore;
        var keys = arena.Key;
        for (var a = 1; a < ExploreCount; a++)
        {
            var x = e[a];
            var kx = keys[x];
            var b = a - 1;
            while (b >= 0 && keys[e[b]] > kx)
            {
                e[b + 1] = e[b];
                b--;
            }
            e[b + 1] = x;
        }
    }
}
