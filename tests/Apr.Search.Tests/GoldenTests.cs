// Golden traces: one SoS+ trace and two APR trace trees (Continue and End) for the reference's first
// sample problem, as readable text files under Golden/. A change in search order, randomness use or
// line format shows up as a diff (Apr.Testing.GoldenFile). To accept a deliberate change: APR_UPDATE_GOLDEN=1 dotnet test ...
using System.Text;
using Apr.Countdown;
using Apr.Protocol;
using Apr.Testing;

namespace Apr.Search.Tests;

public sealed class GoldenTests
{
    private static readonly CountdownProblem Problem = new("ref0", 42, [38, 30, 11, 44]);

    [Fact]
    public void Sosp_trace_matches_the_golden_file() =>
        Check("sosp_42_seed3.txt", new SosPlusSolver().Solve(Problem, 3UL).Text);

    [Fact]
    public void Apr_continue_tree_matches_the_golden_file() =>
        Check("apr_continue_42_seed3.txt", Render(new AprSolver().Solve(Problem, 3UL).Trace));

    [Fact]
    public void Apr_end_tree_matches_the_golden_file() =>
        Check("apr_end_42_seed3.txt", Render(new AprSolver(AprOptions.Paper with { OnChildrenFail = ChildrenFailPolicy.End }).Solve(Problem, 3UL).Trace));

    private static string Render(TraceTree tree)
    {
        var sb = new StringBuilder();
        foreach (var c in tree.Calls)
        {
            sb.Append("=== thread ").Append(c.Thread).Append(" (parent ").Append(c.Parent ?? "none").Append(")\n");
            sb.Append("--- prompt\n").Append(c.Prompt).Append("--- completion\n").Append(c.Completion);
        }
        return sb.ToString();
    }

    private static void Check(string name, string actual) => GoldenFile.Check(name, actual);
}
