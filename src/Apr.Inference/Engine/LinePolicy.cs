// LinePolicy: the no-model policies (issue "Learned search must beat enumeration"): at a choice point
// they pick one whole legal line, ignoring logits, under exactly the grammar, runtime and guards a model
// gets. Three of them, from the floor up:
//   uniform    uniform over the legal lines (giving up with "No solution found." included): the floor;
//   random     uniform over the legal lines except "No solution found." while another line exists:
//              random order, random spawns of random width, but it never gives up early;
//   enumerate  a fixed preference, no randomness: explore before spawning/diving, spawn (naming every
//              open node it may) before moving, smallest numbers and lowest node ids first, give up last.
// It does not see the model, tokens or budgets; CallSequence walks the chosen line's tokens.
using System.Globalization;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Inference;

public enum LinePolicy
{
    Uniform,
    Random,
    Enumerate,
}

internal static class LinePicker
{
    /// <summary>The index in <paramref name="lines"/> (non-empty) that <paramref name="policy"/> takes.</summary>
    public static int Pick(LinePolicy policy, IReadOnlyList<string> lines, ref Rng rng)
    {
        switch (policy)
        {
            case LinePolicy.Uniform:
                return (int)rng.NextBelow((ulong)lines.Count);
            case LinePolicy.Random:
            {
                var keep = new List<int>(lines.Count);
                for (int i = 0; i < lines.Count; i++)
                    if (!lines[i].StartsWith(TraceFormat.NoSolutionFound, StringComparison.Ordinal)) keep.Add(i);
                return keep.Count == 0 ? (int)rng.NextBelow((ulong)lines.Count) : keep[(int)rng.NextBelow((ulong)keep.Count)];
            }
            default:
            {
                int best = 0;
                for (int i = 1; i < lines.Count; i++)
                    if (Compare(lines[i], lines[best]) < 0) best = i;
                return best;
            }
        }
    }

    // Lower is preferred: explore, spawn / dive, name a child, move, then close a spawn block or give up.
    private static int Rank(string line)
    {
        if (line.StartsWith(TraceFormat.ExploringPrefix, StringComparison.Ordinal)) return 0;
        if (line.StartsWith(TraceFormat.CallingSubSearches, StringComparison.Ordinal) || line.StartsWith("Start Sub Search", StringComparison.Ordinal)) return 1;
        if (line.StartsWith("<Start Sub Search ", StringComparison.Ordinal)) return 2;
        if (line.StartsWith("Moving to Node #", StringComparison.Ordinal) || line.StartsWith("Current State: ", StringComparison.Ordinal)) return 3;
        return 4; // "<End Calling Sub Searches>", "No solution found."
    }

    private static int Compare(string a, string b)
    {
        int c = Rank(a).CompareTo(Rank(b));
        if (c != 0) return c;
        var na = Numbers(a);
        var nb = Numbers(b);
        for (int i = 0; i < Math.Min(na.Count, nb.Count); i++)
            if ((c = na[i].CompareTo(nb[i])) != 0) return c;
        if ((c = na.Count.CompareTo(nb.Count)) != 0) return c;
        return string.CompareOrdinal(a, b);
    }

    /// <summary>The decimal numbers of a line, in order (node ids, operands, results).</summary>
    private static List<long> Numbers(string line)
    {
        var numbers = new List<long>();
        for (int i = 0; i < line.Length; i++)
        {
            if (!char.IsAsciiDigit(line[i])) continue;
            int j = i;
            while (j < line.Length && char.IsAsciiDigit(line[j])) j++;
            numbers.Add(long.TryParse(line.AsSpan(i, j - i), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : long.MaxValue);
            i = j;
        }
        return numbers;
    }
}
