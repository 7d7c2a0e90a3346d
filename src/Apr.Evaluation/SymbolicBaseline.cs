// SymbolicBaseline: the symbolic solvers that wrote the demonstrations (SoS+ or APR, the paper's
// options), run on the evaluation problems with the evaluation's seed and recorded like a model: one
// ProblemRecord per problem with every call of the solver's trace tree, so records/ holds one schema
// whatever the policy. Calls are framed and counted as the runtime counts a model's (TraceCost.Shapes,
// CallCost); a completion token is "sampled" where guided decoding would have asked a model to choose
// (TokenMarking), "inserted" where the grammar forces it; the answer is checked by the strict verifier.
// A solver has no wall time, engine steps or log-probs: latency is null, steps and times 0. The
// solvers stop at their own search budget, not at a context; the evaluation holds them to one.
using Apr.Countdown;
using Apr.Data;
using Apr.Inference;
using Apr.Protocol;
using Apr.Search;
using Apr.Tokenization;

namespace Apr.Evaluation;

public static class SymbolicBaseline
{
    /// <summary>One record per problem: problem i is solved with (<paramref name="seed"/>, i) as trace generation does; the APR solver nests <paramref name="depth"/> levels (`data traces --depth`).</summary>
    public static List<ProblemRecord> Run(SearchMethod method, IReadOnlyList<CountdownProblem> problems, ulong seed, TraceTokenizer tokenizer, int depth = 1)
    {
        if (method == SearchMethod.Apr) return Run(AprOptions.Paper with { Depth = depth }, problems, seed, tokenizer);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var sosp = new SosPlusSolver(SosPlusOptions.Paper);
        var records = new List<ProblemRecord>(problems.Count);
        for (int i = 0; i < problems.Count; i++)
        {
            var r = sosp.Solve(problems[i], seed, i);
            records.Add(Record(problems[i], r.Trace, r.Solved ? r.Answer : null, tokenizer));
        }
        return records;
    }

    /// <summary>The APR solver with <paramref name="options"/> (the paper's, or a width-capped tree), recorded as above.</summary>
    public static List<ProblemRecord> Run(AprOptions options, IReadOnlyList<CountdownProblem> problems, ulong seed, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var apr = new AprSolver(options);
        var records = new List<ProblemRecord>(problems.Count);
        for (int i = 0; i < problems.Count; i++)
        {
            var r = apr.Solve(problems[i], seed, i);
            records.Add(Record(problems[i], r.Trace, r.Solved ? r.Answer : null, tokenizer));
        }
        return records;
    }

    /// <summary>A finished trace tree of <paramref name="problem"/> as a ProblemRecord (<paramref name="answer"/>: the solver's, or null when it found none).</summary>
    public static ProblemRecord Record(CountdownProblem problem, TraceTree trace, IReadOnlyList<Operation>? answer, TraceTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(trace);
        var shapes = TraceCost.Shapes(trace.Calls, tokenizer);
        var cost = CallCost.Of(shapes);
        var calls = new ThreadCallRecord[trace.Calls.Count];
        var callsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodeOf = new Dictionary<string, string>(StringComparer.Ordinal);
        int depth = trace.Calls.Max(c => c.Thread.Count(ch => ch == '.'));
        for (int i = 0; i < calls.Length; i++)
        {
            var call = trace.Calls[i];
            var shape = shapes[i];
            int index = callsOf.GetValueOrDefault(call.Thread);
            callsOf[call.Thread] = index + 1;
            if (!nodeOf.ContainsKey(call.Thread))
                nodeOf[call.Thread] = ThreadGrammar.Start(call.Prompt, TokenMarking.SettingsFor(trace.Method, call.Thread, Math.Max(1, depth))).StartNode.Id;
            var marks = TokenMarking.Mark(trace.Method, call, tokenizer, Math.Max(1, depth));
            var tokens = new ThreadToken[marks.Tokens.Length + 1];
            for (int k = 0; k < marks.Tokens.Length; k++)
                tokens[k] = new ThreadToken(marks.Tokens[k], marks.Chosen[k] ? TokenSource.Sampled : TokenSource.Inserted, 0f);
            tokens[^1] = new ThreadToken(tokenizer.Eos, TokenSource.Inserted, 0f);
            var outcome = shape.SpawnedChildren > 0 ? ThreadOutcome.Spawned
                : TraceAnswer.FromText(call.Text) is not null ? ThreadOutcome.Solved
                : ThreadOutcome.NoSolution;
            calls[i] = new ThreadCallRecord(call.Thread, call.Parent, index, call.Thread.Count(ch => ch == '.'), nodeOf[call.Thread],
                call.Prompt, call.Completion, shape.PromptTokens, shape.SharedPrefixTokens, 0, tokens,
                outcome, null, 0, 0, 0, 0, 0)
            { SpawnedChildren = shape.SpawnedChildren };
        }
        var verdict = answer is null ? null : Verifier.Verify(problem.Target, problem.Nums, answer);
        return new ProblemRecord(problem.Id, 0, problem.Target, problem.Nums, trace.Method, answer?.ToArray(), verdict?.Ok ?? false,
            verdict is { Ok: false } v ? v.Error : null, answer is null ? ThreadOutcome.NoSolution : ThreadOutcome.Solved, calls,
            cost.TotalTokens, calls.Sum(c => (long)c.SampledTokens), cost.SequentialTokens, null, 0, cost.Children, cost.Spawns);
    }
}
