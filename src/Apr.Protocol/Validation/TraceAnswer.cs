// TraceAnswer: reads the claimed answer from a thread's plain text without replaying it: the
// operations of the recap, i.e. the Exploring lines between the last-but-one and the last
// "equal: Goal Reached" line (reference section 3). For unconstrained output and quick scoring; it
// trusts the text (verify the result with Verifier; TraceValidator checks everything).
using Apr.Countdown;

namespace Apr.Protocol;

public static class TraceAnswer
{
    private const string GoalSuffix = " equal: Goal Reached";

    /// <summary>The recap's operations, or null when the text has fewer than two goal lines or a recap line does not parse.</summary>
    public static IReadOnlyList<Operation>? FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var last = -1;
        var previous = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].EndsWith(GoalSuffix, StringComparison.Ordinal)) continue;
            previous = last;
            last = i;
        }
        if (previous < 0) return null;
        var ops = new List<Operation>();
        for (var i = previous + 1; i < last; i++)
        {
            if (!lines[i].StartsWith(TraceFormat.ExploringPrefix, StringComparison.Ordinal)) continue;
            if (!TraceLineParser.TryParse(lines[i], out var parsed, out _) || parsed is not TraceLine.Exploring e) return null;
            ops.Add(e.Operation);
        }
        return ops;
    }
}
