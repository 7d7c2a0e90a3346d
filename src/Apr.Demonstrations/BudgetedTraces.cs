// BudgetedTraces: APR demonstrations labelled with a total-token budget, for a model that adapts its
// search to the budget it is told (issue "Learned search must beat enumeration").
//
// Per problem the APR solver runs several variants (BudgetVariant: serial beam searches that never
// spawn, and the paper's spawning searches with narrow and wide beams), each with its own seed. Every
// solved variant is costed as the runtime counts a model's run (TraceCost: total tokens, sequential
// tokens, longest call). Then for every budget B of the list, among the solved variants that fit
// (total tokens with the prefix <= B, every call within the context) the one with the FEWEST
// SEQUENTIAL tokens is kept (ties: fewer total tokens, then variant order) and written with the
// prefix `Token Budget: B ` on the root thread's prompts (B / BudgetUnit with a unit: with 1,000 each
// bin below 1,000,000 is one number token instead of four or five digit tokens that share their first
// digit). So a small budget shows the cheapest searches found (serial, with the first choices right:
// hindsight selection teaches which operations pay off), a large one the widest, lowest-latency trees. Problems with no solved variant under B get
// no record for B. It departs from the paper, whose APR data had only `Sub Call Budget: N`.
//
// With SpawnFrom = S the strategy is a function of the budget alone: below S only serial traces (one
// call, whichever variant wrote it) are candidates and the one with the fewest total tokens is kept;
// from S on only traces that spawn, the one with the fewest sequential tokens. Plain min-sequential selection picks
// a lucky serial search whenever one fits, so half of the 16k-token demonstrations began serially and
// the first decision did not depend on the budget; a model told B could not tell what to do first.
//
// With Depth = D > 1 (`data traces --budgets ... --depth D`) every spawning variant also runs nested
// (children spawn grandchildren, up to D levels) as a further variant with its own seeds, so each budget
// keeps whichever of the flat and the nested trees fits it with the fewest sequential tokens: the depth is
// chosen per budget by the same rule as the width. Every record is then written at depth D (the grammar it
// may be replayed and trained under; a flat tree is valid there too).
//
// A solved run whose completions alone are too long to fit the largest budget (more characters than that
// budget times the longest token's text) is dropped before it is tokenized: with 6 numbers a search can
// write a million characters, and costing every such run was most of the generation's time. It could never
// be chosen, so the output does not change.
//
// With Trees (`--trees 2:1,2:2,...`) the spawning variants are width-capped trees (SymbolicTree: a narrow child
// beam; far cheaper at 5 and 6 numbers than the paper's wide children). With Hindsight = p (`--hindsight p`)
// every expansion puts the successors that can still reach the target first with probability p
// (AprOptions.HindsightProbability): the demonstrations then show a search that chooses better than its
// heuristic, which a model can learn and no symbolic policy can do at test time. With Scorer (`--ranker DIR`) every
// variant orders its successors by a learned ranking instead (AprOptions.Scorer; e.g. models/ranker5-mlp): the
// demonstrations are the ranked trees of `apr eval --ranker`, which a model guided by the same ranking
// (`--value-model`) can follow. A scorer is called from one worker only, so the bytes do not depend on timing.
//
// With TellChildren (`data traces --budget-children`) every thread's prompts carry the prefix, not only the
// root's: a child's prompt ("Moving to Node #0,3 ...") is the same at 1,000 and at 32,000 tokens, so a model
// told only at the root cannot learn that its children should dive (child beam 1) under a tight budget and
// look wider under a loose one; told in every thread, it can. The prefix's tokens then count once per thread
// in the budget check.
//
// Deterministic: variant v of problem i uses Rng.ForItem(Rng.Mix(seed, v), i); any worker count gives
// the same bytes. It does not train or judge models; it only chooses demonstrations.
using System.Text;
using Apr.Core;
using Apr.Countdown;
using Apr.Data;
using Apr.Protocol;
using Apr.Search;
using Apr.Tokenization;

namespace Apr.Demonstrations;

/// <summary>One solver setting tried per problem.</summary>
public sealed record BudgetVariant(string Name, AprOptions Options);

/// <summary>Options of <see cref="BudgetedTraces.Generate"/>.</summary>
public sealed record BudgetedTraceOptions
{
    /// <summary>Total-token budgets, ascending; one record per budget that some solved variant fits.</summary>
    public required IReadOnlyList<int> Budgets { get; init; }

    /// <summary>Most tokens one call may hold (the context the model will run with).</summary>
    public int ContextPerThread { get; init; } = 2048;

    /// <summary>Seeds per variant (each variant is run this many times per problem).</summary>
    public int Repeats { get; init; } = 2;

    public IReadOnlyList<BudgetVariant> Variants { get; init; } = DefaultVariants;

    /// <summary>The prefix says B / BudgetUnit (1000: `Token Budget: 8 ` for 8,000 tokens, one number token per bin).</summary>
    public int BudgetUnit { get; init; } = 1;

    /// <summary>APR nesting depth: above 1 the spawning variants also run at this depth (see the header); records say it.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>If set, budgets below it keep serial traces only (fewest total tokens), budgets from it traces that spawn only.</summary>
    public int? SpawnFrom { get; init; }

    /// <summary>AprOptions.HindsightProbability for every variant (0: the heuristic's order; see the header).</summary>
    public double Hindsight { get; init; }

    /// <summary>Every thread's prompts carry the budget prefix, not only the root's (see the header).</summary>
    public bool TellChildren { get; init; }

    /// <summary>A learned ranking every variant orders its successors by (null: the heuristic; see the header).</summary>
    public ISuccessorScorer? Scorer { get; init; }

    /// <summary>The serial variants of <see cref="DefaultVariants"/> and one spawning variant per width-capped tree (`--trees`).</summary>
    public static IReadOnlyList<BudgetVariant> TreeVariants(IEnumerable<SymbolicTree> trees, int depth) =>
        [.. DefaultVariants.Where(v => v.Options.SpawnProbability == 0), .. trees.Select(t => new BudgetVariant($"tree-{t.Name}", t.Options(depth)))];

    /// <summary>Serial searches (never spawn; beam 1..3 and 1..6) and spawning ones (paper settings; narrow: at most 4 children).</summary>
    public static IReadOnlyList<BudgetVariant> DefaultVariants { get; } =
    [
        new("serial-narrow", AprOptions.Paper with { SpawnProbability = 0, BeamMin = 1, BeamMax = 3, ChildBeamMax = 15 }),
        new("serial-wide", AprOptions.Paper with { SpawnProbability = 0, BeamMin = 1, BeamMax = 6, ChildBeamMax = 15 }),
        new("spawn-narrow", AprOptions.Paper with { BeamMin = 2, BeamMax = 4, ChildBeamMax = 8 }),
        new("spawn-paper", AprOptions.Paper),
    ];

    public BudgetedTraceOptions Validate()
    {
        if (Budgets.Count == 0) throw new ArgumentException("give at least one budget");
        for (int i = 0; i < Budgets.Count; i++)
        {
            if (Budgets[i] < 64) throw new ArgumentException($"budget {Budgets[i]} is below 64 tokens");
            if (i > 0 && Budgets[i] <= Budgets[i - 1]) throw new ArgumentException($"budgets must ascend: {Budgets[i - 1]} then {Budgets[i]}");
        }
        if (ContextPerThread < 16) throw new ArgumentException($"the context per thread must be at least 16 tokens, got {ContextPerThread}");
        if (Repeats < 1 || Repeats > 64) throw new ArgumentException($"repeats must be in 1..64, got {Repeats}");
        if (Variants.Count == 0) throw new ArgumentException("give at least one solver variant");
        if (BudgetUnit < 1) throw new ArgumentException($"the budget unit must be positive, got {BudgetUnit}");
        if (Budgets.FirstOrDefault(b => b % BudgetUnit != 0) is > 0 and var odd) throw new ArgumentException($"budget {odd} is not a multiple of the budget unit {BudgetUnit}");
        if (Depth is < 1 or > AprOptions.MaxDepth) throw new ArgumentException($"the depth must be in 1..{AprOptions.MaxDepth}, got {Depth}");
        if (!(Hindsight >= 0 && Hindsight <= 1)) throw new ArgumentException($"the hindsight probability must be in [0, 1], got {Hindsight}");
        if (Variants.FirstOrDefault(v => v.Options.Depth > Depth) is { } deep) throw new ArgumentException($"variant {deep.Name} nests {deep.Options.Depth} levels, deeper than the records' depth {Depth}");
        if (SpawnFrom is < 64) throw new ArgumentException($"the spawning threshold must be at least 64 tokens, got {SpawnFrom}");
        foreach (var v in Variants) v.Options.Validate();
        return this;
    }
}

public static class BudgetedTraces
{
    private sealed record Candidate(int Variant, AprResult Result, TraceCost Cost);

    /// <summary>Yields, per problem in order, one record per budget that a solved variant fits (budgets ascending).</summary>
    public static IEnumerable<TraceRecord> Generate(IReadOnlyList<CountdownProblem> problems, BudgetedTraceOptions options, ulong seed, int workers)
    {
        options.Validate();
        var tokenizer = TraceTokenizer.Default;
        var variants = options.Depth == 1 ? options.Variants
            : [.. options.Variants, .. options.Variants.Where(v => v.Options.SpawnProbability > 0 && v.Options.Depth < options.Depth).Select(v => new BudgetVariant(v.Name + $"-d{options.Depth}", v.Options with { Depth = options.Depth }))];
        var solvers = variants.Select(v => new AprSolver(v.Options with { HindsightProbability = options.Hindsight, Scorer = options.Scorer ?? v.Options.Scorer })).ToArray();
        if (options.Scorer is not null) workers = 1; // a learned scorer batches what its cache misses: one caller keeps the calls, and so the bytes, fixed
        int runs = solvers.Length * options.Repeats;
        int longestToken = Enumerable.Range(0, tokenizer.VocabSize).Max(id => tokenizer.TokenText(id).Length);
        long maxChars = (long)options.Budgets[^1] * longestToken; // more completion characters than this cannot fit any budget
        return OrderedParallel.Map(problems, (p, i) =>
        {
            var candidates = new List<Candidate>();
            for (int v = 0; v < runs; v++)
            {
                var result = solvers[v % solvers.Length].Solve(p, Rng.Mix(seed, (ulong)v), i);
                if (result.Solved && result.Trace.Calls.Sum(c => (long)c.Completion.Length) <= maxChars) candidates.Add(new Candidate(v, result, TraceCost.Of(result.Trace.Calls, tokenizer)));
            }
            var records = new List<TraceRecord>();
            foreach (var budget in options.Budgets)
            {
                var prefix = Prefix(budget / options.BudgetUnit);
                int prefixTokens = tokenizer.CountTokens(prefix);
                // The prefix is on the root's prompts, or (TellChildren) on every thread's: counted once per thread told.
                var fitting = candidates.Where(c => c.Cost.TotalTokens + prefixTokens * (options.TellChildren ? c.Cost.Children + 1L : 1L) <= budget
                                                    && c.Cost.LongestCall + prefixTokens <= options.ContextPerThread);
                bool? serial = options.SpawnFrom is int from ? budget < from : null;
                if (serial is bool s) fitting = fitting.Where(c => (c.Result.Trace.Calls.Count == 1) == s);
                var best = (serial == true
                        ? fitting.OrderBy(c => c.Cost.TotalTokens).ThenBy(c => c.Variant)
                        : fitting.OrderBy(c => c.Cost.SequentialTokens).ThenBy(c => c.Cost.TotalTokens).ThenBy(c => c.Variant))
                    .FirstOrDefault();
                if (best is null) continue;
                var calls = best.Result.Trace.Calls.Select(c => options.TellChildren || c.Thread == NodeIds.Root ? c with { Prompt = prefix + c.Prompt } : c).ToList();
                records.Add(new TraceRecord(p.Id, p.Target, p.Nums, SearchMethod.Apr, true, best.Result.Answer.Select(o => o.ToString()).ToList(), calls) { Depth = options.Depth });
            }
            return records;
        }, workers).SelectMany(r => r);
    }

    /// <summary>The conditioning prefix <c>Token Budget: B </c>.</summary>
    public static string Prefix(int budget) => TraceFormat.TokenBudget(new StringBuilder(24), budget).ToString();
}
