// EvalCommand: `apr eval --problems FILE [--model DIR] [--method apr|sosp|both] [--out DIR] [--sweep ...]`:
// the paper's comparisons (reference sections 6 and 8) on any problems file: per-problem JSONL records,
// summary.json, PNG plots and report.md in --out. Wiring only: conditions, scoring, plots and the report
// live in Apr.Evaluation.
using System.CommandLine;
using System.Globalization;
using Apr.Data;
using Apr.Evaluation;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;
using Apr.Protocol;
using Apr.Search;

namespace Apr.Cli;

internal static class EvalCommand
{
    /// <summary>Tokens per thread by default: our tokens carry 4.4-4.9 characters, so 2,048 of them hold a little more than the paper's 4,096 Llama-2 tokens (about 8,000 characters).</summary>

    private static readonly string[] SweepNames = ["greedy", "context", "tokens", "latency", "unguided", "budget", "all"];

    public static Command Create()
    {
        var problems = Options.InputFile("--problems", "problems JSONL (ours or the reference's field names; only id, target and nums are needed)");
        var model = new Option<DirectoryInfo?>("--model") { Description = "model directory or `apr train` run (with a single --method; default: the shipped model)" };
        var aprModel = new Option<DirectoryInfo?>("--apr-model") { Description = "APR model (default: models/apr)" };
        var sospModel = new Option<DirectoryInfo?>("--sosp-model") { Description = "SoS+ model (default: models/sosp)" };
        var method = new Option<string>("--method") { Description = "apr, sosp, or both (the comparisons need both)", DefaultValueFactory = _ => "both" };
        method.AcceptOnlyFromAmong("apr", "sosp", "both");
        var limit = Options.OptionalInt("--limit", "evaluate only the first N problems", 1, int.MaxValue);
        var output = new Option<DirectoryInfo>("--out") { Description = "output directory: records/, summary.json, report.md, *.png", DefaultValueFactory = _ => new DirectoryInfo("runs/eval") };
        var sweep = new Option<string[]>("--sweep") { Description = "what to run: greedy, context, tokens, latency, unguided, budget or all (comma-separated)", DefaultValueFactory = _ => ["all"] };
        sweep.CustomParser = r =>
        {
            var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var n in names)
                if (!SweepNames.Contains(n)) r.AddError($"--sweep: unknown sweep '{n}' (choose from {string.Join(", ", SweepNames)})");
            if (names.Length == 0) r.AddError("--sweep needs at least one sweep");
            return names;
        };
        var sweepLimit = Options.Int("--sweep-limit", "problems for the context budgets and the tokens sweep", 200, 1, int.MaxValue);
        var latencyLimit = Options.Int("--latency-limit", "problems for the latency sweep (run one at a time)", 100, 1, int.MaxValue);
        var unguidedLimit = Options.Int("--unguided-limit", "problems for the unguided (paper's setting) point", 100, 1, int.MaxValue);
        var samples = Options.Int("--samples", "samples per problem for SoS+ cons@k / pass@k", 8, 1, 64);
        var temperature = new Option<double>("--temperature") { Description = "temperature of the tokens sweep (the paper: 1.0)", DefaultValueFactory = _ => 1.0 };
        temperature.Validators.Add(r => { if (Options.TryGet<double>(r, out var t) && !(t > 0 && t <= 100)) r.AddError($"--temperature must be in (0, 100], got {t.ToString(CultureInfo.InvariantCulture)}"); });
        var subCalls = Options.IntList("--sub-call-budgets", "APR child-thread conditions ('Sub Call Budget: N ')", [.. EvalSettings.DefaultSubCallBudgets], 0, 1000);
        var tokenBudgets = Options.IntList("--token-budgets", "SoS+ conditions of the latency sweep ('Token Budget: B ')", [.. EvalSettings.DefaultTokenBudgets], 0, 1_000_000);
        var budgets = Options.IntList("--budgets", "total-token caps of the budget sweep (the frontier)", [.. EvalSettings.DefaultBudgets], 16, 100_000_000);
        var sequentialCaps = Options.IntList("--sequential-caps", "sequential-token caps of the budget sweep", [.. EvalSettings.DefaultSequentialCaps], 1, 100_000_000);
        var aprBins = Options.IntList("--apr-budget-bins", "the budgets the APR model reads in 'Token Budget: B' (default: its manifest's budget_bins; none = it is not told)", [], 1, 100_000_000);
        var aprUnit = Options.BudgetUnit("--apr-budget-unit", "eval");
        var aprChildren = Options.BudgetChildren("--apr-budget-children");
        var only = new Option<string[]>("--conditions") { Description = "run only the planned conditions whose names contain one of these (comma-separated), e.g. enumerate,symbolic", AllowMultipleArgumentsPerToken = false, CustomParser = r => (r.Tokens.Count == 1 ? r.Tokens[0].Value : "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
        var context = Options.Int("--context", $"tokens per thread the runtime allows (0 = {InferenceDefaults.ContextPerThread:N0} or the models' context if smaller: a little above the paper's 4,096 Llama-2 tokens in our tokens); the context curve goes up to it", 0, 0, 1_000_000);
        var referenceContext = Options.Int("--reference-context", "the 'same context' point of the report, in our tokens (the paper's 4,096 Llama-2 tokens = about 8,000 characters)", 1792, 16, 1_000_000);
        var seed = Options.Seed("random seed of the sampled conditions and the baselines");
        var threads = Options.Threads("CPU threads for the models");
        var slots = Options.Int("--slots", "threads decoded at once (KV-cache slots)", InferenceDefaults.Slots, 1, 4096);
        var resume = new Option<bool>("--resume") { Description = "keep the conditions an earlier run into --out finished (complete records/<name>.jsonl) and run only the rest" };
        var traces = new Option<bool>("--traces") { Description = "keep every call's prompt and completion text, and its completion tokens (id, sampled or inserted, log-prob), in the records" };
        var trees = new Option<SymbolicTree[]>("--symbolic-trees")
        {
            Description = $"width-capped symbolic APR trees the budget sweep runs beside the paper's solver (no learning), BEAM:CHILD_BEAM[:DEPTH] comma-separated (BEAM:S/CHILD_BEAM: children keep S successors of their start node; ':De': nested children end when their own children fail); 'none' for none (default {string.Join(",", EvalSettings.DefaultSymbolicTrees.Select(t => t.Spec))})",
            DefaultValueFactory = _ => [.. EvalSettings.DefaultSymbolicTrees],
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                if (text == "none") return [];
                try
                {
                    return [.. SymbolicTree.ParseList(text)];
                }
                catch (FormatException e)
                {
                    r.AddError($"--symbolic-trees: {e.Message}");
                    return [];
                }
            },
        };
        var ranker = new Option<DirectoryInfo?>("--ranker") { Description = "a learned ranking (a reachability classifier written by bench/Apr.Bench.Ranking --save): the budget sweep also runs each --symbolic-trees tree with its successors ranked by it (apr-ranked-*; learned, but only the ranking)" };
        var rankerSizes = Options.IntList("--ranker-sizes", "with --ranker: rate only states of these sizes (numbers left; each one the ranker was trained on); the others keep the heuristic's order (default: every size it was trained on)", [], 2, 64);
        var exactUpTo = Options.Int("--exact-upto", "the budget sweep also runs each --symbolic-trees tree with its states of at most N numbers ranked by an exact check (apr-symbolic-*xN; no learning: the bar for a learned ranking that learns what the check computes), and with --ranker each ranked tree with the check too (apr-ranked-*xN: states of at most N numbers checked, larger ones ranked); 0 = not run", 0, 0, Apr.Countdown.ProblemLimits.MaxNumbers);
        var depth = Options.Int("--depth", "APR nesting depth: threads at this level may not spawn (0 = no thread spawns: serial search in the APR grammar; 1 = only the root spawns, the paper; 2 = children spawn grandchildren); the models, the no-learning policies and the symbolic APR solver all run at it", 1, 0, Apr.Search.AprOptions.MaxDepth);
        var otlp = Options.OtlpEndpoint();
        var backend = Options.Backend();
        var cmd = new Command("eval", "Evaluate APR and SoS+ models against each other, the random-choice policy and the symbolic solvers: accuracy against context, total tokens, sequential tokens and latency.")
        {
            problems, model, aprModel, sospModel, method, limit, output, sweep, sweepLimit, latencyLimit, unguidedLimit, samples, temperature,
            subCalls, tokenBudgets, budgets, sequentialCaps, aprBins, aprUnit, aprChildren, only, trees, ranker, rankerSizes, exactUpTo, context, referenceContext, depth, seed, threads, slots, traces, resume, otlp, backend,
        };
        var valueGuide = new ValueGuideOptions();
        valueGuide.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var err = r.InvocationConfiguration.Error;
            var o = r.InvocationConfiguration.Output;
            var methods = r.GetValue(method) switch
            {
                "apr" => new[] { SearchMethod.Apr },
                "sosp" => [SearchMethod.SosPlus],
                _ => [SearchMethod.Apr, SearchMethod.SosPlus],
            };
            if (r.GetValue(model) is not null && methods.Length > 1)
                throw new CliException("--model names one model: pick --method apr or sosp, or give --apr-model and --sosp-model", Cli.UsageError);
            var sweeps = ParseSweeps(r.GetValue(sweep)!);
            var problemsPath = r.GetValue(problems)!.FullName;
            var list = ProblemFile.Read(problemsPath);
            if (r.GetValue(limit) is { } n && n < list.Count) list = list.Take(n).ToList();
            if (list.Count == 0) throw new CliException($"no problems in {problemsPath}");

            using var remote = Options.BackendOf(r, backend);
            var models = new Dictionary<SearchMethod, InferenceSession>();
            var modelDirs = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                foreach (var m in methods)
                {
                    var explicitDir = (m == SearchMethod.Apr ? r.GetValue(aprModel) : r.GetValue(sospModel)) ?? r.GetValue(model);
                    var dir = explicitDir?.FullName ?? InferenceSession.DefaultModel(m, useEnvironment: false)
                        ?? throw new CliException($"no {m.Label()} model: pass --{m.WireName()}-model DIR (or --model with a single --method)");
                    models[m] = InferenceSession.Load(dir, new SessionOptions(r.GetValue(threads), r.GetValue(slots), r.GetValue(context), remote));
                    modelDirs[m.WireName()] = Path.GetRelativePath(Environment.CurrentDirectory, dir);
                }
            }
            catch
            {
                foreach (var s in models.Values) s.Dispose();
                throw;
            }
            var conditioning = models.ToDictionary(kv => kv.Key, kv => kv.Value.Conditioning);
            var settings = Options.AsUsageError(() => new EvalSettings(methods, sweeps, r.GetValue(sweepLimit), r.GetValue(latencyLimit), r.GetValue(unguidedLimit),
                r.GetValue(samples), r.GetValue(temperature), r.GetValue(subCalls), r.GetValue(tokenBudgets), r.GetValue(referenceContext),
                r.GetValue(budgets), r.GetValue(sequentialCaps),
                r.GetValue(aprBins) is { Length: > 0 } bins ? bins : conditioning.GetValueOrDefault(SearchMethod.Apr)?.BudgetBins, conditioning.GetValueOrDefault(SearchMethod.SosPlus)?.TokenBudgetBin,
                r.GetValue(aprUnit) ?? conditioning.GetValueOrDefault(SearchMethod.Apr)?.BudgetUnit ?? 1, r.GetValue(trees), Ranked: r.GetValue(ranker) is not null, ExactUpTo: r.GetValue(exactUpTo),
                AprBudgetChildren: r.GetValue(aprChildren) || conditioning.GetValueOrDefault(SearchMethod.Apr)?.BudgetChildren == true).Validate());
            if (r.GetValue(ranker) is not null && !(sweeps.HasFlag(EvalSweeps.Budget) && methods.Contains(SearchMethod.Apr) && settings.SymbolicTreesOrDefault.Count > 0))
                throw new CliException("--ranker ranks the symbolic trees of the budget sweep: give --sweep budget, --method apr or both, and at least one --symbolic-trees tree", Cli.UsageError);
            int ctx = models.Values.Min(s => s.Context);
            var guards = GuardOptions.Default with { ContextPerThread = ctx, MaxDepth = r.GetValue(depth) };
            var contexts = Enumerable.Range(1, ctx / 128).Select(i => i * 128).Append(ctx).Append(settings.ReferenceContext).Where(x => x <= ctx).Distinct().Order().ToList();
            using var ranking = Options.RankerOf(r, ranker, rankerSizes);
            if (r.GetValue(ranker) is { } rd) modelDirs["ranker"] = Path.GetRelativePath(Environment.CurrentDirectory, rd.FullName);
            // The value guides: --value-model's for every model, else each model's own (its manifest's), if any.
            var values = new Dictionary<SearchMethod, ValueGuide>();
            if (valueGuide.Explicit(r))
            {
                var shared = valueGuide.Load(r, null)!;
                foreach (var m in models.Keys) values[m] = shared;
            }
            else if (r.GetValue(valueGuide.Model) is null)
            {
                foreach (var (m, s) in models)
                    if (s.Conditioning.ValueModel is not null) values[m] = valueGuide.Load(r, s.Conditioning)!;
            }
            if (values.Count == 0) valueGuide.Load(r, null); // refuses a --value-weight with no value to weigh
            foreach (var (m, v) in values)
            {
                modelDirs[$"{m.WireName()}_value"] = v.Source!;
                modelDirs[$"{m.WireName()}_value_weight"] = v.Weight.ToString("R", CultureInfo.InvariantCulture);
                if (v.ExactUpTo > 1) modelDirs[$"{m.WireName()}_value_exact_upto"] = v.ExactUpTo.ToString(CultureInfo.InvariantCulture);
                foreach (var (size, g) in v.BySize) modelDirs[$"{m.WireName()}_value_for_{size}_numbers"] = g.Source!;
                if (v.Revisit < 1) modelDirs[$"{m.WireName()}_value_revisit"] = v.Revisit.ToString("R", CultureInfo.InvariantCulture);
                if (v.Widen is { } widen) modelDirs[$"{m.WireName()}_value_widen"] = widen.ToString();
            }
            var outDir = r.GetValue(output)!.FullName;
            Directory.CreateDirectory(outDir);
            var plan = EvalPlan.Build(settings);
            if (r.GetValue(only) is { Length: > 0 } filter)
            {
                plan = plan.Where(p => filter.Any(f => p.Condition.Name.Contains(f, StringComparison.Ordinal))).ToList();
                if (plan.Count == 0) throw new CliException($"--conditions {string.Join(",", filter)} matches none of the planned conditions", Cli.UsageError);
            }
            var info = new EvalRunInfo(Path.GetRelativePath(Environment.CurrentDirectory, problemsPath), list.Count, modelDirs, ctx, settings.ReferenceContext, r.GetValue(seed), r.GetValue(threads),
                "apr " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                sweeps.HasFlag(EvalSweeps.Budget) ? settings.BudgetsOrDefault : null, sweeps.HasFlag(EvalSweeps.Budget) ? settings.SequentialCapsOrDefault : null,
                Depth: r.GetValue(depth));
            long total = EvalRun.SampleCount(plan, list.Count);
            o.WriteLine($"evaluating {list.Count} problems: {plan.Count} conditions, {total} samples; writing to {outDir}");
            try
            {
                using var tracing = r.GetValue(otlp) is { } endpoint ? Apr.Telemetry.OtlpExport.Start(endpoint) : null;
                using var evaluator = new Evaluator(models, guards, r.GetValue(seed), r.GetValue(slots))
                {
                    Ranker = ranking,
                    Values = values,
                    OnRecord = tracing is null ? null : record => Apr.Telemetry.ProblemTraces.Emit(record, DateTimeOffset.UtcNow),
                };
                var results = Progress.Run("evaluating", total, err, report => EvalRun.Execute(evaluator, plan, list, outDir, info, contexts, r.GetValue(traces), report, r.GetValue(resume)));
                foreach (var (s, _) in results)
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{s.Condition.Name,-28} {100 * s.Accuracy,5:F1}%  ({s.Problems} problems)  total {s.MeanTotalTokens,8:F0}  sequential {s.MeanSequentialTokens,7:F0}{(s.MeanLatencyMs is { } l ? $"  {l,7:F0} ms" : "")}  {s.Seconds,6:F0} s"));
                if (remote is not null) o.WriteLine(Options.BackendSummary(remote, results.Sum(x => (long)x.Summary.Outcomes.GetValueOrDefault("backend_error"))));
                foreach (var t in EvalReport.Targets(info, results))
                    o.WriteLine($"target: {t.Name}: {(t.Met switch { true => "met", false => "NOT met", _ => "-" })}: {t.Finding}");
            }
            finally
            {
                foreach (var s in models.Values) s.Dispose();
                foreach (var v in values.Values.Distinct()) v.Dispose();
            }
            o.WriteLine($"wrote {Path.Combine(outDir, "report.md")}, summary.json, plots and records/");
            return 0;
        });
        return cmd;
    }

    private static EvalSweeps ParseSweeps(string[] names)
    {
        var sweeps = EvalSweeps.None;
        foreach (var n in names)
            sweeps |= n switch
            {
                "greedy" => EvalSweeps.Greedy,
                "context" => EvalSweeps.Context,
                "tokens" => EvalSweeps.Tokens,
                "latency" => EvalSweeps.Latency,
                "unguided" => EvalSweeps.Unguided,
                "budget" => EvalSweeps.Budget,
                _ => EvalSweeps.All,
            };
        return sweeps;
    }

}
