// Successor: one child of a search state, as the reference generator enumerates them.
namespace Apr.Countdown;

/// <summary>A state reached by one operation: the untouched numbers keep their order, the result goes last.</summary>
public readonly record struct Successor(Operation Operation, long[] Numbers)
{
    /// <summary>
    /// All successors of <paramref name="numbers"/> in the reference order: pairs (i, j), i &lt; j, in
    /// lexicographic order, and for each pair the operations of <see cref="Arithmetic.Combine"/>.
    /// </summary>
    public static List<Successor> All(ReadOnlySpan<long> numbers)
    {
        var list = new List<Successor>(numbers.Length * numbers.Length * 2);
        Span<Operation> ops = stackalloc Operation[Arithmetic.MaxPerPair];
        for (var i = 0; i < numbers.Length; i++)
        {
            for (var j = i + 1; j < numbers.Length; j++)
            {
                var count = Arithmetic.Combine(numbers[i], numbers[j], ops);
                for (var k = 0; k < count; k++)
                {
                    var next = new long[numbers.Length - 1];
                    var n = 0;
                    for (var m = 0; m < numbers.Length; m++)
                        if (m != i && m != j) next[n++] = numbers[m];
                    next[n] = ops[k].Result;
                    list.Add(new Successor(ops[k], next));
                }
            }
        }
        return list;
    }
}
