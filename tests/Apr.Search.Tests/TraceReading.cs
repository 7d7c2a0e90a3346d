// TraceReading: small readers the tests use to check traces independently of the solvers.
using Apr.Countdown;

namespace Apr.Search.Tests;

internal static class TraceReading
{
    public const string Goal = " equal: Goal Reached\n";

    /// <summary>
    /// The final recap: the text between the last two Goal Reached lines (the search's goal line and
    /// the recap's own), from its Moving line through the final Goal Reached line.
    /// </summary>
    public static string RecapText(string text)
    {
        var end = text.LastIndexOf(Goal, StringComparison.Ordinal);
        Assert.True(end > 0, "no Goal Reached line");
        var at = text.LastIndexOf(Goal, end - 1, StringComparison.Ordinal);
        Assert.True(at >= 0, "only one Goal Reached line");
        return text[(at + Goal.Length)..(end + Goal.Length)];
    }

    /// <summary>The operations of the final recap.</summary>
    public static List<string> RecapOperations(string text) =>
        [.. RecapText(text).Split('\n')
            .Where(l => l.StartsWith("Exploring Operation: ", StringComparison.Ordinal))
            .Select(l => l["Exploring Operation: ".Length..l.IndexOf(',')])];

    /// <summary>The text without the SoS+ "Exit Sub Search at level k" lines that may follow the recap.</summary>
    public static string WithoutTrailingExits(string text)
    {
        while (text.EndsWith('\n'))
        {
            var start = text.LastIndexOf('\n', text.Length - 2) + 1;
            if (!text.AsSpan(start).StartsWith("Exit Sub Search at level ", StringComparison.Ordinal)) break;
            text = text[..start];
        }
        return text;
    }

    public static void AssertAnswerVerifies(CountdownProblem p, IReadOnlyList<Operation> answer, string trace)
    {
        var v = Verifier.Verify(p.Target, p.Nums, answer);
        Assert.True(v.Ok, $"{p.Key}: {v.Error}\n{trace}");
        trace = WithoutTrailingExits(trace);
        Assert.Equal(answer.Select(o => o.ToString()), RecapOperations(trace));
        Assert.EndsWith($"{p.Target},{p.Target}{Goal}", trace);
    }
}
