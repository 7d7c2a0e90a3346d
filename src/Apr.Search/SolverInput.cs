// SolverInput: the checks both solvers run on a problem before searching.
using Apr.Countdown;

namespace Apr.Search;

internal static class SolverInput
{
    public static void Check(CountdownProblem problem, HeuristicKind heuristic)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Nums.Count < 2 || problem.Nums.Count > SearchLimits.MaxNumbers)
            throw new ArgumentException($"problem {problem.Id}: the solvers take 2..{SearchLimits.MaxNumbers} numbers, got {problem.Nums.Count}", nameof(problem));
        foreach (var x in problem.Nums)
            if (x < 0) throw new ArgumentException($"problem {problem.Id}: numbers must be non-negative, got {x}", nameof(problem));
        if (heuristic == HeuristicKind.Mult && problem.Target < 2)
            throw new ArgumentException($"problem {problem.Id}: the mult heuristic needs a target of at least 2, got {problem.Target}", nameof(problem));
    }
}
