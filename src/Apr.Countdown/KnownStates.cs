// KnownStates: search states (multisets of numbers; the target is the problem's) that a thread knows were searched
// already. The memory behind "new states first": the APR solver's `m` trees (AprOptions.NewStatesFirst) and the runtime's
// value revisit factor (`--value-revisit`, Apr.Inference.SeenStates) keep one per thread, passed along the thread tree
// (a child starts with a copy of its parent's; a parent adds its children's at the join), so what a thread knows does
// not depend on how its siblings were scheduled.
namespace Apr.Countdown;

public sealed class KnownStates
{
    private readonly HashSet<string> _keys;

    public KnownStates() => _keys = new HashSet<string>(StringComparer.Ordinal);

    private KnownStates(HashSet<string> keys) => _keys = keys;

    public int Count => _keys.Count;

    /// <summary>A state's key: its numbers sorted and comma-joined (the order of the numbers does not change what they reach).</summary>
    public static string Key(ReadOnlySpan<long> numbers)
    {
        Span<long> sorted = stackalloc long[numbers.Length];
        numbers.CopyTo(sorted);
        sorted.Sort();
        return string.Join(',', sorted.ToArray());
    }

    /// <summary>Adds a state; false when it was known.</summary>
    public bool Add(ReadOnlySpan<long> numbers) => _keys.Add(Key(numbers));

    public bool Contains(ReadOnlySpan<long> numbers) => _keys.Contains(Key(numbers));

    /// <summary>Whether the state of <paramref name="key"/> (<see cref="Key"/>) is known.</summary>
    public bool Contains(string key) => _keys.Contains(key);

    /// <summary>Adds everything <paramref name="other"/> knows (a child's knowledge, at its parent's join).</summary>
    public void UnionWith(KnownStates other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _keys.UnionWith(other._keys);
    }

    /// <summary>An independent copy (a child's knowledge when it is spawned).</summary>
    public KnownStates Copy() => new(new HashSet<string>(_keys, StringComparer.Ordinal));
}
