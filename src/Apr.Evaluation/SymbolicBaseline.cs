// SymbolicBaseline: the symbolic solvers that wrote the demonstrations (SoS+ or APR, the paper's
// options), run on the evaluation problems with the evaluation's seed and scored like a model: the
// answer is checked by the strict verifier, and tokens are counted on the trace tree (TraceCost) the
// way the runtime counts a model's run. The solvers stop at their own search budget, not at a context.
using Apr.Countdown;
using Apr.Data;
using Apr.Inference;
using Apr.Search;
using Apr.Tokenization;
using Apr.Protocol;

namespace Apr.Evaluation;

public static class SymbolicBaseline
{
    /// <summary>One sample per problem: problem i is solved with (<paramref name="seed"/>, i) as trace generation does.</summary>
    public static List<EvalSample> Run(SearchMethod method, IReadOnlyList<CountdownProblem> problems, ulong seed, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var sosp = new SosPlusSolver(SosPlusOptions.Paper);
        var apr = new AprSolver(AprOptions.Paper);
        var samples = new List<EvalSample>(problems.Count);
        for (int i = 0; i < problems.Count; i++)
        {
            var p = problems[i];
            var (trace, solved, answer) = method == SearchMethod.Apr
                ? Unpack(apr.Solve(p, seed, i))
                : Unpack(sosp.Solve(p, seed, i));
            var ops = solved ? answer : null;
            bool correct = solved && Verifier.Verify(p.Target, p.Nums, answer).Ok;
            var cost = TraceCost.Of(trace.Calls, tokenizer);
            samples.Add(new EvalSample(p.Id, 0, ops, correct, cost.TotalTokens, 0, cost.SequentialTokens, null,
                cost.LongestCall, cost.Children, cost.Spawns, solved ? "solved" : "no_solution"));
        }
        return samples;
    }

    private static (Apr.Protocol.TraceTree, bool, IReadOnlyList<Operation>) Unpack(AprResult r) => (r.Trace, r.Solved, r.Answer);
    private static (Apr.Protocol.TraceTree, bool, IReadOnlyList<Operation>) Unpack(SosPlusResult r) => (r.Trace, r.Solved, r.Answer);
}
