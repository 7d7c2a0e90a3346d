// TraceStats: solve rates and length statistics of a batch of demonstrations (characters, since
// tokens depend on the tokenizer), in the terms of the reference README. Streams: keeps numbers only.
using Apr.Countdown;
using Apr.Search;

namespace Apr.Bench.Search;

internal static class TraceStats
{
    public static Dictionary<string, double> OfSosPlus(IReadOnlyList<CountdownProblem> problems, Func<int, SosPlusResult> solve)
    {
        var lengths = new List<double>();
        double solved = 0, beams = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var r = solve(i);
            lengths.Add(r.Text.Length);
            solved += r.Solved ? 1 : 0;
            beams += r.Beam;
        }
        return new Dictionary<string, double>
        {
            ["solved"] = solved / problems.Count,
            ["trace_chars_mean"] = lengths.Average(),
            ["trace_chars_p95"] = P95(lengths),
            ["beam_mean"] = beams / problems.Count,
        };
    }

    public static Dictionary<string, double> OfApr(IReadOnlyList<CountdownProblem> problems, Func<int, AprResult> solve)
    {
        var calls = new List<double>();
        var longest = new List<double>();
        var total = new List<double>();
        var childCalls = new List<double>();
        double solved = 0, spawns = 0, children = 0, spawned = 0, callCount = 0, beams = 0, childBeams = 0;
        for (var i = 0; i < problems.Count; i++)
        {
            var r = solve(i);
            solved += r.Solved ? 1 : 0;
            spawns += r.Spawns;
            children += r.Children;
            spawned += r.Spawns > 0 ? 1 : 0;
            callCount += r.Trace.Calls.Count;
            beams += r.Beam;
            childBeams += r.ChildBeam;
            double max = 0, sum = 0;
            foreach (var c in r.Trace.Calls)
            {
                var len = c.Prompt.Length + c.Completion.Length;
                calls.Add(len);
                if (c.Parent is not null) childCalls.Add(len);
                max = Math.Max(max, len);
                sum += len;
            }
            longest.Add(max);
            total.Add(sum);
        }
        var n = problems.Count;
        return new Dictionary<string, double>
        {
            ["solved"] = solved / n,
            ["spawns_mean"] = spawns / n,
            ["children_mean"] = children / n,
            ["problems_with_spawn"] = spawned / n,
            ["calls_mean"] = callCount / n,
            ["call_chars_mean"] = calls.Average(),
            ["call_chars_p95"] = P95(calls),
            ["child_call_chars_mean"] = childCalls.Count > 0 ? childCalls.Average() : 0,
            ["longest_call_chars_mean"] = longest.Average(),
            ["longest_call_chars_p95"] = P95(longest),
            ["tree_chars_mean"] = total.Average(),
            ["tree_chars_p95"] = P95(total),
            ["beam_mean"] = beams / n,
            ["child_beam_mean"] = childBeams / n,
        };
    }

    private static double P95(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(0.95 * sorted.Length) - 1)];
    }
}
