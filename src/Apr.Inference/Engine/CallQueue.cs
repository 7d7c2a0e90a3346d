// CallQueue: the calls an engine was given and has not admitted yet, in admission order: higher priority
// first, then arrival. One queue for both engines (InferenceEngine in process, Apr.Remote's RemoteEngine),
// so they admit in the same order. It does not admit anything itself.
namespace Apr.Inference;

internal sealed class CallQueue
{
    private readonly record struct Waiting(CallSequence Seq, int Priority, long Order);

    private readonly List<Waiting> _items = [];
    private long _order;

    public int Count => _items.Count;

    /// <summary>The call at <paramref name="index"/> (after <see cref="Sort"/>: in admission order) and its priority.</summary>
    public (CallSequence Seq, int Priority) this[int index] => (_items[index].Seq, _items[index].Priority);

    /// <summary>Queues a call that was never submitted before.</summary>
    public void Add(CallSequence seq, int priority)
    {
        ArgumentNullException.ThrowIfNull(seq);
        if (seq.StartStep >= 0 || _items.Exists(w => w.Seq == seq)) throw new InvalidOperationException("the call was already submitted");
        _items.Add(new Waiting(seq, priority, _order++));
    }

    /// <summary>Takes <paramref name="seq"/> out of the queue; false when it was not queued.</summary>
    public bool Remove(CallSequence seq)
    {
        int i = _items.FindIndex(w => w.Seq == seq);
        if (i < 0) return false;
        _items.RemoveAt(i);
        return true;
    }

    public void RemoveAt(int index) => _items.RemoveAt(index);

    /// <summary>Puts the queue in admission order.</summary>
    public void Sort() => _items.Sort((a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Order.CompareTo(b.Order));
}
