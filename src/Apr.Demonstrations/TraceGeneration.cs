// TraceGeneration: turns a problem list into demonstration traces (SoS+ or APR), in parallel,
// deterministically, streaming in input order.
//
// Problem i is solved with the run seed and its index (the solvers derive Rng.ForItem(seed, i)), so
// the output is byte-identical for any number of workers. Conditioning prefixes are added here, after
// the solver ran, because they describe the finished trace:
//   - `Sub Call Budget: N ` (APR): N = the number of child threads the root thread started. It is
//     prepended to every prompt of the root thread; a join prompt starts with the parent's text, so
//     it carries the prefix too, exactly as the protocol would rebuild it.
//   - `Token Budget: B ` (SoS+): B = the completion's length in tokens rounded up to a multiple of
//     the bin (default 256 of our tokens, about 1,150 characters: roughly the paper's 512 Llama-2
//     tokens at 2 characters each).
using System.Text;
using Apr.Countdown;
using Apr.Data;
using Apr.Protocol;
using Apr.Search;
using Apr.Tokenization;

namespace Apr.Demonstrations;

/// <summary>Which solver writes the traces, with its options and the conditioning prefixes to add.</summary>
public sealed record TraceGenerationOptions
{
    public SearchMethod Method { get; init; } = SearchMethod.Apr;
    public SosPlusOptions SosPlus { get; init; } = SosPlusOptions.Paper;
    public AprOptions Apr { get; init; } = AprOptions.Paper;

    /// <summary>Add `Sub Call Budget: N ` to the root prompts of APR traces.</summary>
    public bool SubCallBudget { get; init; }

    /// <summary>Add `Token Budget: B ` to SoS+ prompts, rounding the completion's token count up to this bin; null = no prefix.</summary>
    public int? TokenBudgetBin { get; init; }

    public TraceGenerationOptions Validate()
    {
        if (TokenBudgetBin is < 1) throw new ArgumentException($"the token budget bin must be at least 1, got {TokenBudgetBin}");
        if (SubCallBudget && Method != SearchMethod.Apr) throw new ArgumentException("the Sub Call Budget prefix applies to APR traces only");
        if (TokenBudgetBin is not null && Method != SearchMethod.SosPlus) throw new ArgumentException("the Token Budget prefix applies to SoS+ traces only");
        SosPlus.Validate();
        Apr.Validate();
        return this;
    }
}

public static class TraceGeneration
{
    /// <summary>Yields one record per problem, in order.</summary>
    public static IEnumerable<TraceRecord> Generate(IReadOnlyList<CountdownProblem> problems, TraceGenerationOptions options, ulong seed, int workers)
    {
        options.Validate();
        var tokenizer = TraceTokenizer.Default;
        if (options.Method == SearchMethod.SosPlus)
        {
            var solver = new SosPlusSolver(options.SosPlus);
            return OrderedParallel.Map(problems, (p, i) =>
            {
                var r = solver.Solve(p, seed, i);
                var calls = r.Trace.Calls;
                if (options.TokenBudgetBin is { } bin)
                {
                    var tokens = tokenizer.CountTokens(calls[0].Completion);
                    var budget = (tokens + bin - 1) / bin * bin;
                    calls = [calls[0] with { Prompt = Prefix(sb => TraceFormat.TokenBudget(sb, budget)) + calls[0].Prompt }];
                }
                return Record(p, SearchMethod.SosPlus, r.Solved, r.Answer, calls);
            }, workers);
        }
        var apr = new AprSolver(options.Apr);
        return OrderedParallel.Map(problems, (p, i) =>
        {
            var r = apr.Solve(p, seed, i);
            var calls = r.Trace.Calls;
            if (options.SubCallBudget)
            {
                var children = calls.Where(c => c.Parent == "0").Select(c => c.Thread).Distinct().Count();
                var prefix = Prefix(sb => TraceFormat.SubCallBudget(sb, children));
                calls = calls.Select(c => c.Thread == "0" ? c with { Prompt = prefix + c.Prompt } : c).ToList();
            }
            return Record(p, SearchMethod.Apr, r.Solved, r.Answer, calls) with { Depth = options.Apr.Depth };
        }, workers);
    }

    private static string Prefix(Action<StringBuilder> write)
    {
        var sb = new StringBuilder(24);
        write(sb);
        return sb.ToString();
    }

    private static TraceRecord Record(CountdownProblem p, SearchMethod method, bool solved, IReadOnlyList<Operation> answer, IReadOnlyList<ThreadCall> calls) =>
        new(p.Id, p.Target, p.Nums, method, solved, answer.Select(o => o.ToString()).ToList(), calls);
}
