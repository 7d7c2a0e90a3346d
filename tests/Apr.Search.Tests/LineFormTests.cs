// Every line the solvers write is one of the reference's line forms (reference sections 3 and 4),
// checked with regular expressions written from the spec, independent of TraceFormat.
using System.Text.RegularExpressions;
using Apr.Countdown;

namespace Apr.Search.Tests;

public sealed class LineFormTests
{
    private const string Num = "(0|[1-9][0-9]*)";
    private const string Op = Num + "[-+*/]" + Num + "=" + Num;
    private const string Id = "0(," + Num + ")*";
    private const string List = @"\[" + Num + "(, " + Num + @")*\]";

    private static readonly Regex[] SosPlusForms =
    [
        new($"^Current State: {Num}:{List}, Operations: \\[('{Op}'(, '{Op}')*)?\\]$"),
        new($"^Exploring Operation: {Op}, Resulting Numbers: {List}$"),
        new($"^Generated Node #{Id}: {Num}:{List} Operation: {Op}$"),
        new($"^{Num},{Num} (equal: Goal Reached|unequal: No Solution)$"),
        new($"^Moving to Node #{Id}$"),
        new("^No solution found\\.$"),
        new($"^Start Sub Search at level [1-9]: Moving to Node #{Id}$"),
        new("^Exit Sub Search at level [1-9]$"),
        new("^No solution found in sub search$"),
    ];

    private static readonly Regex[] AprOnlyForms =
    [
        new("^<Calling Sub Searches>$"),
        new($"^<Start Sub Search {Num} at level [1-9]> Moving to Node #{Id}$"),
        new("^<End Calling Sub Searches>$"),
        new("^<Sub Searches>$"),
        new($"^<(Goal Reached|No Solution) in Sub Search {Num} at level [1-9] at Node #{Id}>$"),
        new("^<End Sub Searches>$"),
    ];

    [Fact]
    public void Every_sosp_line_has_a_reference_form()
    {
        var solver = new SosPlusSolver();
        for (var i = 0; i < 500; i++)
            foreach (var line in Lines(solver.Solve(TestProblems.Paper[i], 4UL, i).Text))
                Assert.True(SosPlusForms.Any(r => r.IsMatch(line)), $"not a SoS+ line: '{line}'");
    }

    [Fact]
    public void Every_apr_line_has_a_reference_form_and_no_sosp_dive_lines()
    {
        var solver = new AprSolver(AprOptions.Paper with { Depth = 2 });
        for (var i = 0; i < 300; i++)
        {
            foreach (var call in solver.Solve(TestProblems.Paper[i], 4UL, i).Trace.Calls)
            {
                foreach (var line in Lines(call.Text))
                {
                    Assert.True(SosPlusForms.Any(r => r.IsMatch(line)) || AprOnlyForms.Any(r => r.IsMatch(line)), $"not an APR line: '{line}'");
                    Assert.DoesNotContain("Sub Search at level", line.StartsWith('<') ? "" : line);
                }
            }
        }
    }

    private static IEnumerable<string> Lines(string text)
    {
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }
}
