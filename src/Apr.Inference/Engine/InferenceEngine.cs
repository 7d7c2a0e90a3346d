// InferenceEngine: continuous batching over a cached decoder. Calls are submitted at any time; each
// step admits queued calls into free cache slots (the memory bound: calls that do not fit wait),
// appends every active call's pending tokens in ONE forward (prefill chunks and single decode tokens
// side by side), hands each row its logits, and retires calls that ended. A call that ended in a spawn
// block may park its slot; the parent's resumed call then reuses the cached prefix it shares with it.
// Calls marked PrefixCache (the server's plain /v1/completions calls) leave their slot behind as a
// prefix-cache entry when they end: a later PrefixCache call whose prompt starts with most of an entry's
// tokens takes that slot over and feeds only the rest (what vLLM's automatic prefix caching and SGLang's
// radix cache do with shared blocks; here one slot holds one sequence, so the entry is moved, not shared).
// An entry is taken only when the match covers at least half its tokens, so a short common start (the
// same root line of another thread) never destroys a long cached context. Entries are the first thing
// evicted (least recently ended first) and do not count as slots in use.
// It deliberately knows nothing of threads, problems or correctness: that is AprRuntime's job.
using System.Diagnostics;

namespace Apr.Inference;

public sealed class InferenceEngine : ICallEngine
{
    private readonly IDecoder _decoder;
    private readonly bool _prefixReuse;
    private readonly CallSequence?[] _owner;   // active call per slot
    private readonly CallSequence?[] _parked;  // parked call per slot (its cache kept for a resume)
    private readonly bool[] _entry;            // the parked call is a prefix-cache entry (any PrefixCache call may take it)
    private readonly CallQueue _queue = new();
    private readonly List<CallSequence> _active = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private float[] _logits = [];

    /// <summary>An engine over <paramref name="decoder"/>; <paramref name="prefixReuse"/> keeps spawning calls' slots for their resume.</summary>
    public InferenceEngine(IDecoder decoder, bool prefixReuse = true)
    {
        _decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
        _prefixReuse = prefixReuse;
        _owner = new CallSequence?[decoder.Slots];
        _parked = new CallSequence?[decoder.Slots];
        _entry = new bool[decoder.Slots];
    }

    public IDecoder Decoder => _decoder;
    public int Slots => _decoder.Slots;
    public int MaxLength => _decoder.MaxLength;
    public EngineStats Stats { get; } = new();

    /// <summary>Steps taken so far (the clock of StartStep/EndStep).</summary>
    public long StepIndex { get; private set; }

    /// <summary>Milliseconds since the engine was created (the clock of StartMs/EndMs).</summary>
    public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;

    public bool HasWork => _queue.Count > 0 || _active.Count > 0;
    public int ActiveCount => _active.Count;
    public int QueuedCount => _queue.Count;

    /// <summary>Cache slots held: by a running call, or parked for a resume (prefix-cache entries not counted: any call may take them).</summary>
    public int SlotsInUse
    {
        get
        {
            int n = 0;
            for (int s = 0; s < _owner.Length; s++)
                if (_owner[s] is not null || (_parked[s] is not null && !_entry[s])) n++;
            return n;
        }
    }

    /// <summary>Slots holding a prefix-cache entry.</summary>
    public int SlotsCached => _entry.Count(e => e);

    /// <summary>Drops every prefix-cache entry (after the weights changed, none of them is valid).</summary>
    public void FlushPrefixCache()
    {
        for (int s = 0; s < _entry.Length; s++)
            if (_entry[s]) Free(s);
    }

    /// <summary>Queues a call; higher <paramref name="priority"/> is admitted first and may take back parked slots (priority 0 never does).</summary>
    public void Submit(CallSequence seq, int priority = 0) => _queue.Add(seq, priority);

    /// <summary>Stops a queued or active call (it is not returned by Step) and frees its slot.</summary>
    public void Cancel(CallSequence seq, CallEnd reason = CallEnd.Cancelled)
    {
        ArgumentNullException.ThrowIfNull(seq);
        if (_queue.Remove(seq))
        {
            // A queued resume never takes over the slot its earlier call parked: free that slot too.
            if (seq.ResumeFrom is not null) ReleaseParked(seq.ResumeFrom);
        }
        seq.Stop(reason);
        if (seq.EndStep < 0) Stamp(seq, end: true);
        int slot = Array.IndexOf(_owner, seq);
        if (slot >= 0)
        {
            _active.Remove(seq);
            Free(slot);
        }
        ReleaseParked(seq);
    }

    /// <summary>Frees the slot a finished call parked (its thread will not resume).</summary>
    public void ReleaseParked(CallSequence seq)
    {
        int slot = Array.IndexOf(_parked, seq);
        if (slot >= 0) Free(slot);
    }

    /// <summary>One scheduling step: admit, forward, sample. Returns the calls that ended in it.</summary>
    public List<CallSequence> Step()
    {
        long t0 = Stopwatch.GetTimestamp();
        var ended = new List<CallSequence>();
        Admit(ended);
        for (int i = _active.Count - 1; i >= 0; i--)
        {
            var seq = _active[i];
            if (seq.Cached.Count + seq.Feed.Count > Math.Min(seq.ContextLimit, _decoder.MaxLength))
                Finish(seq, CallEnd.ContextLimit, ended);
        }
        if (_active.Count > 0)
        {
            _active.Sort((a, b) => Array.IndexOf(_owner, a).CompareTo(Array.IndexOf(_owner, b))); // contiguous slots batch cheaper
            var rows = new DecodeRow[_active.Count];
            for (int i = 0; i < rows.Length; i++)
            {
                var seq = _active[i];
                if (seq.Feed.Count == 0) throw new InvalidOperationException("an active call has nothing to feed");
                rows[i] = new DecodeRow(Array.IndexOf(_owner, seq), [.. seq.Feed]);
                Stats.TokensFed += seq.Feed.Count;
            }
            int v = _decoder.VocabSize;
            if (_logits.Length < rows.Length * v) _logits = new float[rows.Length * v];
            long f0 = Stopwatch.GetTimestamp();
            _decoder.Forward(rows, _logits.AsSpan(0, rows.Length * v));
            Stats.ForwardMs += Stopwatch.GetElapsedTime(f0).TotalMilliseconds;
            Stats.Steps++;
            Stats.Rows += rows.Length;
            Stats.Live += rows.Length + _queue.Count;
            StepIndex++;
            var batch = _active.ToArray();
            for (int i = 0; i < batch.Length; i++)
            {
                var seq = batch[i];
                seq.Cached.AddRange(seq.Feed);
                seq.Feed.Clear();
                seq.OnLogits(_logits.AsSpan(i * v, v));
                if (seq.Done) Finish(seq, seq.End, ended);
            }
        }
        Stats.StepMs += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return ended;
    }

    private void Admit(List<CallSequence> ended)
    {
        if (_queue.Count == 0) return;
        _queue.Sort();
        for (int i = 0; i < _queue.Count; i++)
        {
            var (seq, priority) = _queue[i];
            if (seq.Done)
            {
                // Everything was forced (e.g. a resumed parent whose child solved): no model needed.
                Stamp(seq, end: false);
                Stamp(seq, end: true);
                if (seq.ResumeFrom is not null) ReleaseParked(seq.ResumeFrom);
                ended.Add(seq);
                _queue.RemoveAt(i--);
                continue;
            }
            int slot = seq.ResumeFrom is not null ? Array.IndexOf(_parked, seq.ResumeFrom) : seq.PrefixCache ? BestEntry(seq) : -1;
            CallSequence? previous = slot >= 0 ? _parked[slot] : null;
            if (slot >= 0) { _parked[slot] = null; _entry[slot] = false; }
            else slot = FreeSlot(priority > 0);
            if (slot < 0) continue;
            _queue.RemoveAt(i--);
            int shared = 0;
            if (previous is not null)
            {
                int max = Math.Min(previous.Cached.Count, seq.Feed.Count - 1);
                while (shared < max && previous.Cached[shared] == seq.Feed[shared]) shared++;
                seq.Cached.AddRange(previous.Cached.Take(shared));
                seq.Feed.RemoveRange(0, shared);
                seq.ReusedPrefix = shared;
                Stats.TokensReused += shared;
            }
            _decoder.Truncate(slot, shared);
            _owner[slot] = seq;
            _active.Add(seq);
            Stamp(seq, end: false);
        }
    }

    /// <summary>The prefix-cache entry sharing the longest prefix with <paramref name="seq"/>'s prompt (at least half the entry), or -1.</summary>
    private int BestEntry(CallSequence seq)
    {
        int best = -1, bestShared = 0;
        for (int s = 0; s < _parked.Length; s++)
        {
            if (!_entry[s] || _parked[s] is not { } entry) continue;
            int max = Math.Min(entry.Cached.Count, seq.Feed.Count - 1), shared = 0;
            while (shared < max && entry.Cached[shared] == seq.Feed[shared]) shared++;
            if (shared > bestShared && 2 * shared >= entry.Cached.Count) (best, bestShared) = (s, shared);
        }
        return best;
    }

    private int FreeSlot(bool mayEvict)
    {
        for (int s = 0; s < _owner.Length; s++)
            if (_owner[s] is null && _parked[s] is null) return s;
        int lru = -1;
        for (int s = 0; s < _parked.Length; s++)
            if (_entry[s] && (lru < 0 || _parked[s]!.EndMs < _parked[lru]!.EndMs)) lru = s;
        if (lru >= 0)
        {
            Free(lru);
            return lru;
        }
        if (!mayEvict) return -1;
        int oldest = -1;
        for (int s = 0; s < _parked.Length; s++)
            if (_parked[s] is { } p && (oldest < 0 || p.EndStep < _parked[oldest]!.EndStep)) oldest = s;
        if (oldest >= 0)
        {
            _parked[oldest] = null;
            Stats.Evictions++;
        }
        return oldest;
    }

    private void Finish(CallSequence seq, CallEnd reason, List<CallSequence> ended)
    {
        seq.Stop(reason);
        int slot = Array.IndexOf(_owner, seq);
        _active.Remove(seq);
        _owner[slot] = null;
        if (seq.PrefixCache && seq.Cached.Count > 0)
        {
            _parked[slot] = seq;
            _entry[slot] = true;
        }
        else if (_prefixReuse && seq.KeepSlot && seq.EndsInSpawn)
            _parked[slot] = seq;
        else _decoder.Truncate(slot, 0);
        Stamp(seq, end: true);
        ended.Add(seq);
    }

    private void Free(int slot)
    {
        _owner[slot] = null;
        _parked[slot] = null;
        _entry[slot] = false;
        _decoder.Truncate(slot, 0);
    }

    private void Stamp(CallSequence seq, bool end)
    {
        if (end) { seq.EndStep = StepIndex; seq.EndMs = ElapsedMs; }
        else { seq.StartStep = StepIndex; seq.StartMs = ElapsedMs; }
    }
}
