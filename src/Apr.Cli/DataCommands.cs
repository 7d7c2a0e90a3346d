// DataCommands: `apr data problems|traces|validate|stats`.
using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Apr.Core;
using Apr.Countdown;
using Apr.Data;
using Apr.Demonstrations;
using Apr.Search;
using Apr.Protocol;

namespace Apr.Cli;

internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Countdown problems and demonstration traces: generate, validate, measure.");
        data.Subcommands.Add(Problems());
        data.Subcommands.Add(Traces());
        data.Subcommands.Add(ValidateCommand.Create());
        data.Subcommands.Add(StatsCommand.Create());
        return data;
    }

    private static Command Problems()
    {
        var count = Options.Int("--count", "how many problems (all are held in memory before the file is written)", 1000, 1, 10_000_000);
        var seed = Options.Seed();
        var output = Options.OutputFile();
        var exclude = Options.InputFile("--exclude", "a problems file whose problems must not appear (e.g. the training set when making a validation set)", required: false);
        var numbers = Options.Int("--numbers", "starting numbers per problem", 4, 3, 6);
        var target = Options.Range("--target", "target range", (10, 100), 2, 1_000_000);
        var range = Options.Range("--range", "range of each starting number", (1, 99), 0, 1_000_000);
        var prefix = new Option<string>("--id-prefix") { Description = "problem id prefix", DefaultValueFactory = _ => "p" };
        var workers = Options.Workers();
        var cmd = new Command("problems", "Generate solvable Countdown problems as JSONL (paper distribution by default).")
        {
            count, seed, output, exclude, numbers, target, range, prefix, workers,
        };
        cmd.SetAction(r =>
        {
            var distribution = new ProblemDistribution
            {
                Count = r.GetValue(numbers),
                TargetMin = r.GetValue(target).Lo,
                TargetMax = r.GetValue(target).Hi,
                NumberMin = r.GetValue(range).Lo,
                NumberMax = r.GetValue(range).Hi,
            };
            Validate(() => distribution.Validate());
            Options.NotAnInput("--out", r.GetValue(output)!.FullName, ("--exclude", r.GetValue(exclude)?.FullName));
            var excluded = r.GetValue(exclude) is { } ex ? ProblemFile.Read(ex.FullName).Select(p => p.Key).ToHashSet(StringComparer.Ordinal) : null;
            var n = r.GetValue(count);
            var clock = Stopwatch.StartNew();
            var problems = Progress.Run($"problems", n, r.InvocationConfiguration.Error, _ =>
                Validate(() => new ProblemGenerator(distribution).Generate(n, r.GetValue(seed), r.GetValue(prefix)!, excluded, r.GetValue(workers))));
            var path = r.GetValue(output)!.FullName;
            ProblemFile.Write(path, problems);
            r.InvocationConfiguration.Output.WriteLine($"wrote {problems.Count} problems to {path} in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        });
        return cmd;
    }

    private static Command Traces()
    {
        var problemsFile = Options.InputFile("--problems", "problems JSONL (ours or the reference's field names)");
        var method = Options.Method("sosp (serialized SoS+ traces) or apr (parallel trace trees)");
        var seed = Options.Seed();
        var output = Options.OutputFile();
        var beam = Options.Range("--beam", "beam width per problem, drawn uniformly (default 1..5 for sosp, 1..10 for apr)", (0, 0), 1, 64);
        var childBeamMax = Options.Int("--child-beam-max", "apr: child beam drawn uniformly in [beam, this]", AprOptions.Paper.ChildBeamMax, 1, 64);
        var spawnP = Options.Probability("--spawn-probability", "apr: probability of spawning after an expansion with 2+ kept children", AprOptions.Paper.SpawnProbability);
        var maxChildren = Options.Int("--max-children", "apr: most children per spawn", AprOptions.Paper.MaxChildrenPerSpawn, 1, 64);
        var depth = Options.Int("--depth", "apr: nesting depth (1 = only the root spawns, as in the paper); written into each record as 'depth' when above 1", AprOptions.Paper.Depth, 1, AprOptions.MaxDepth);
        var onFail = new Option<string>("--on-children-fail") { Description = "apr: when every child fails, 'continue' the parent's search (paper) or 'end' it as the reference code does", DefaultValueFactory = _ => "continue" };
        onFail.AcceptOnlyFromAmong("continue", "end");
        var diveP = Options.Probability("--dive-probability", "sosp: probability of diving into the kept children after an expansion", SosPlusOptions.Paper.DiveProbability);
        var heuristic = new Option<string>("--heuristic") { Description = "node ordering heuristic: mult or sum", DefaultValueFactory = _ => "mult" };
        heuristic.AcceptOnlyFromAmong("mult", "sum");
        var subCallBudget = new Option<bool>("--sub-call-budget") { Description = "apr: prefix the root prompts with 'Sub Call Budget: N ' (N = children started)" };
        var tokenBudget = Options.OptionalInt("--token-budget-bin", "sosp: prefix prompts with 'Token Budget: B ' (trace tokens rounded up to a multiple of this)", 1, 1_000_000);
        var budgets = Options.IntList("--budgets", "apr: budget-labelled traces instead: per problem, for each total-token budget, the solved solver variant with the fewest sequential tokens that fits, prefixed 'Token Budget: B ' (see BudgetedTraces)", [], 64, 1_000_000);
        var budgetContext = Options.Int("--context", "with --budgets: most tokens one call may hold", 2048, 16, 1_000_000);
        var repeats = Options.Int("--repeats", "with --budgets: seeds per solver variant", 2, 1, 64);
        var spawnFrom = Options.OptionalInt("--spawn-from", "with --budgets: budgets below this keep serial demonstrations (fewest tokens), budgets from it spawning ones (fewest sequential tokens)", 64, 1_000_000);
        var budgetUnit = Options.BudgetUnit("--budget-unit", "data");
        var trees = new Option<string?>("--trees") { Description = "with --budgets: the spawning variants are these width-capped trees, BEAM:CHILD_BEAM[:DEPTH] comma-separated (as `eval --symbolic-trees`), beside the serial ones" };
        var hindsight = Options.Probability("--hindsight", "with --budgets: probability per expansion that successors which can still reach the target come first (demonstrations that choose better than the heuristic; see BudgetedTraces)", 0);
        var ranker = new Option<DirectoryInfo?>("--ranker") { Description = "with --budgets: every solver variant orders its successors by this learned ranking (a ranker directory, e.g. models/ranker5-mlp) instead of the heuristic; runs on one worker" };
        var rankerSizes = Options.IntList("--ranker-sizes", "with --ranker: rate only states of these sizes (default: every size it was trained on)", [], 2, 64);
        var exactUpTo = Options.Int("--exact-upto", "with --budgets: states of at most N numbers (2..6) are ranked by an exact check, larger ones by --ranker (or the heuristic), as `eval --exact-upto N` ranks its trees; 0 = no check", 0, 0, Apr.Countdown.ProblemLimits.MaxNumbers);
        var budgetChildren = new Option<bool>("--budget-children") { Description = "with --budgets: every thread's prompts carry the 'Token Budget: B ' prefix, not only the root's, so children can adapt their search to the budget too (see BudgetedTraces)" };
        var workers = Options.Workers();
        var cmd = new Command("traces", "Write demonstration traces (SoS+ or APR) for a problems file, as JSONL.")
        {
            problemsFile, method, seed, output, beam, childBeamMax, spawnP, maxChildren, depth, onFail, diveP, heuristic, subCallBudget, tokenBudget, budgets, budgetContext, repeats, spawnFrom, budgetUnit, budgetChildren, trees, hindsight, ranker, rankerSizes, exactUpTo, workers,
        };
        cmd.SetAction(r =>
        {
            var kind = r.GetValue(heuristic) == "sum" ? HeuristicKind.Sum : HeuristicKind.Mult;
            var (beamLo, beamHi) = r.GetValue(beam);
            var isSosp = Options.MethodOf(r, method) == SearchMethod.SosPlus;
            var sosp = SosPlusOptions.Paper with { DiveProbability = r.GetValue(diveP), Heuristic = kind };
            var apr = AprOptions.Paper with
            {
                ChildBeamMax = r.GetValue(childBeamMax),
                SpawnProbability = r.GetValue(spawnP),
                MaxChildrenPerSpawn = r.GetValue(maxChildren),
                Depth = r.GetValue(depth),
                OnChildrenFail = r.GetValue(onFail) == "end" ? ChildrenFailPolicy.End : ChildrenFailPolicy.Continue,
                Heuristic = kind,
            };
            if (beamLo > 0)
            {
                sosp = sosp with { BeamMin = beamLo, BeamMax = beamHi };
                apr = apr with { BeamMin = beamLo, BeamMax = beamHi };
            }
            var options = new TraceGenerationOptions
            {
                Method = Options.MethodOf(r, method),
                SosPlus = sosp,
                Apr = apr,
                SubCallBudget = r.GetValue(subCallBudget),
                TokenBudgetBin = r.GetValue(tokenBudget),
            };
            Validate(() => options.Validate());
            var budgetList = r.GetValue(budgets) ?? [];
            BudgetedTraceOptions? budgeted = null;
            if (r.GetValue(ranker) is not null && budgetList.Length == 0)
                throw new CliException("--ranker orders the solver variants of budget-labelled apr traces: give --budgets too", Cli.UsageError);
            using var scorer = Options.RankerOf(r, ranker, rankerSizes);
            var exact = r.GetValue(exactUpTo);
            if (ExactRanking.SettingError(exact) is { } exactError) throw new CliException(exactError, Cli.UsageError);
            if (exact > 0 && budgetList.Length == 0)
                throw new CliException("--exact-upto ranks the solver variants of budget-labelled apr traces: give --budgets too", Cli.UsageError);
            if (r.GetValue(budgetChildren) && budgetList.Length == 0)
                throw new CliException("--budget-children tells every thread the budget of budget-labelled apr traces: give --budgets too", Cli.UsageError);
            if (budgetList.Length > 0)
            {
                if (isSosp) throw new CliException("--budgets applies to apr traces only", Cli.UsageError);
                List<SymbolicTree>? treeList;
                try
                {
                    treeList = r.GetValue(trees) is { } t ? SymbolicTree.ParseList(t) : null;
                }
                catch (FormatException e)
                {
                    throw new CliException($"--trees: {e.Message}", Cli.UsageError);
                }
                budgeted = Validate(() => new BudgetedTraceOptions
                {
                    Budgets = budgetList, ContextPerThread = r.GetValue(budgetContext), Repeats = r.GetValue(repeats), SpawnFrom = r.GetValue(spawnFrom),
                    BudgetUnit = r.GetValue(budgetUnit) ?? 1, Depth = r.GetValue(depth), Hindsight = r.GetValue(hindsight), Scorer = exact > 0 ? new ExactRanking(exact, scorer) : scorer,
                    TellChildren = r.GetValue(budgetChildren),
                    Variants = treeList is null ? BudgetedTraceOptions.DefaultVariants : BudgetedTraceOptions.TreeVariants(treeList, r.GetValue(depth)),
                }.Validate());
            }
            else if (r.GetValue(trees) is not null || r.GetValue(hindsight) > 0) throw new CliException("--trees and --hindsight apply to budget-labelled apr traces: give --budgets too", Cli.UsageError);
            Options.NotAnInput("--out", r.GetValue(output)!.FullName, ("--problems", r.GetValue(problemsFile)!.FullName));
            var problems = ProblemFile.Read(r.GetValue(problemsFile)!.FullName);
            var path = r.GetValue(output)!.FullName;
            var clock = Stopwatch.StartNew();
            var (solved, calls, written) = Progress.Run($"{options.Method.Label()} traces", problems.Count, r.InvocationConfiguration.Error, report =>
            {
                int s = 0, c = 0, done = 0;
                var records = budgeted is null
                    ? TraceGeneration.Generate(problems, options, r.GetValue(seed), r.GetValue(workers))
                    : BudgetedTraces.Generate(problems, budgeted, r.GetValue(seed), r.GetValue(workers));
                AtomicFile.Write(path, stream =>
                {
                    foreach (var record in records)
                    {
                        TraceFile.WriteJson(stream, record);
                        stream.WriteByte((byte)'\n');
                        s += record.Solved ? 1 : 0;
                        c += record.Calls.Count;
                        if (++done % 256 == 0) report(Math.Min(done, problems.Count));
                    }
                });
                return (s, c, done);
            });
            var n = Math.Max(1, written);
            r.InvocationConfiguration.Output.WriteLine(
                $"wrote {written} {options.Method.Label()} traces to {path} in {clock.Elapsed.TotalSeconds:F1} s: solved {solved} ({100.0 * solved / n:F1}%), {calls} calls");
            return 0;
        });
        return cmd;
    }

    /// <summary>Turns an option-record validation failure into a one-line usage error.</summary>
    internal static T Validate<T>(Func<T> f)
    {
        try { return f(); }
        catch (ArgumentException e) { throw new CliException(e.Message, Cli.UsageError); }
        catch (InvalidOperationException e) when (e is not Apr.Training.RunDirectoryException) { throw new CliException(e.Message); }
    }
}
