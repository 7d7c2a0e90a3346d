// SolveCommand: `apr solve --target 27 --nums 22,26,31,53`: solves one problem with a model (or a no-model
// policy: uniform, random, enumerate) through the APR runtime and prints the verified answer as an expression and the
// thread tree; --json prints one machine-readable record, --show-traces each call's text. Wiring only:
// the engine, runtime and verifier live in Apr.Inference and Apr.Countdown.
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Apr.Countdown;
using Apr.Inference;
using Apr.Tokenization;
using Apr.Protocol;
using Apr.Telemetry;

namespace Apr.Cli;

internal static class SolveCommand
{
    public static Command Create()
    {
        var target = new Option<long>("--target") { Description = "the target number", Required = true };
        target.Validators.Add(r => { if (Options.TryGet<long>(r, out var t) && t < ProblemLimits.MinTarget) r.AddError($"--target must be at least {ProblemLimits.MinTarget}, got {t}"); });
        var nums = new Option<string>("--nums") { Description = "the starting numbers, comma-separated (e.g. 22,26,31,53)", Required = true };
        var model = new Option<DirectoryInfo?>("--model") { Description = "model directory, checkpoint or `apr train` run directory (default: the shipped model, or $APR_MODEL)" };
        var method = Options.Method("apr (parallel threads) or sosp (one serialized thread)");
        var policy = new Option<string>("--policy") { Description = "model; or a no-model baseline on the same grammar: uniform (any legal line, giving up included), random (any legal line but giving up while another exists), enumerate (fixed order: explore, spawn, move; smallest numbers first)", DefaultValueFactory = _ => "model" };
        policy.AcceptOnlyFromAmong("model", "uniform", "random", "enumerate");
        var budget = new Option<long?>("--budget") { Description = "total tokens the problem may hold (all threads); the runtime stops it unsolved before a token would pass it, and a model trained with budgets is told it ('Token Budget: B')" };
        budget.Validators.Add(r => { if (Options.TryGet<long?>(r, out var b) && b is < 16 or > 100_000_000) r.AddError($"--budget must be in 16..100,000,000 tokens, got {b}"); });
        var samples = Options.Int("--samples", "independent samples, batched; reports pass@n and cons@n", 1, 1, 256);
        var temperature = new Option<double>("--temperature") { Description = "sampling temperature (0 = greedy)", DefaultValueFactory = _ => 0.0 };
        temperature.Validators.Add(r =>
        {
            if (Options.TryGet<double>(r, out var t) && !(t >= 0 && t <= 100)) r.AddError($"--temperature must be in 0..100, got {t.ToString(CultureInfo.InvariantCulture)}");
        });
        var topK = Options.Int("--top-k", "sample among the k most likely tokens (0 = all)", 0, 0, 1_000_000);
        var topP = Options.Probability("--top-p", "nucleus sampling mass (1 = off)", 1.0);
        var seed = Options.Seed();
        var unguided = new Option<bool>("--unguided") { Description = "plain sampling without the trace grammar (the paper's setting)" };
        var json = new Option<bool>("--json") { Description = "print one JSON record instead of text" };
        var showTraces = new Option<bool>("--show-traces") { Description = "print every call's prompt and completion (with --json: also each completion token's id, source (sampled or inserted) and log-prob)" };
        var context = Options.Int("--context", $"tokens per thread (prompt + completion) (0 = {InferenceDefaults.ContextPerThread:N0} or the model's context if smaller)", 0, 0, 1_000_000);
        var guard = GuardOptions.Default;
        var maxChildren = Options.Int("--max-children", "children per spawn", guard.MaxChildrenPerSpawn, 1, 64);
        var maxSpawns = Options.Int("--max-spawns", "spawns per problem", guard.MaxSpawnsPerProblem, 0, 10_000);
        var depth = Options.Int("--depth", "nesting depth: threads at this level may not spawn (paper: 1)", guard.MaxDepth, 0, 5);
        var maxTokens = new Option<long>("--max-tokens") { Description = "total tokens per problem", DefaultValueFactory = _ => guard.MaxTotalTokensPerProblem };
        var timeLimit = new Option<double>("--time-limit") { Description = "wall-clock seconds per problem", DefaultValueFactory = _ => guard.MaxWallMsPerProblem / 1000 };
        var subCalls = Options.OptionalInt("--sub-call-budget", "APR conditioning prefix 'Sub Call Budget: N '", 0, 1000);
        var tokenBudget = Options.OptionalInt("--token-budget", "conditioning prefix 'Token Budget: B ' (default: from --budget when the model's manifest says it reads one)", 0, 1_000_000);
        var threads = Options.Threads("CPU threads for the model");
        var otlp = Options.OtlpEndpoint();
        var backend = Options.Backend();
        var cmd = new Command("solve", "Solve one Countdown problem with a model (APR or SoS+) and show the verified answer and the thread tree. Exit code 1 when no verified answer was found.")
        {
            target, nums, model, method, policy, budget, samples, temperature, topK, topP, seed, unguided, json, showTraces,
            context, maxChildren, maxSpawns, depth, maxTokens, timeLimit, subCalls, tokenBudget, threads, otlp, backend,
        };
        var valueGuide = new ValueGuideOptions();
        valueGuide.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var output = r.InvocationConfiguration.Output;
            var problem = new CountdownProblem("cli", r.GetValue(target), ParseNums(r.GetValue(nums)!));
            var choices = ChoicePolicies.Parse(r.GetValue(policy)!);
            bool random = choices != ChoicePolicy.Model;
            if (random && r.GetValue(unguided)) throw new CliException($"--policy {r.GetValue(policy)} picks among the grammar's lines; it cannot be --unguided", Cli.UsageError);
            var solveMethod = Options.MethodOf(r, method);
            int n = r.GetValue(samples);
            if (random && r.GetValue(backend) is not null) throw new CliException($"--policy {r.GetValue(policy)} needs no model: it cannot run on a --backend", Cli.UsageError);
            using var remote = Options.BackendOf(r, backend);
            var sizing = new SessionOptions(r.GetValue(threads), Math.Min(256, n * (solveMethod == SearchMethod.Apr ? 1 + r.GetValue(maxChildren) : 1)), r.GetValue(context), remote);
            using var session = random ? InferenceSession.NoModel(sizing) : InferenceSession.Load(
                r.GetValue(model)?.FullName ?? InferenceSession.DefaultModel(solveMethod)
                    ?? throw new CliException("no model: pass --model DIR (a model directory or a checkpoint from `apr train`), or --policy enumerate|random|uniform for a no-model baseline"),
                sizing);
            using var value = choices == ChoicePolicy.Model && !r.GetValue(unguided) ? valueGuide.Load(r, session.Conditioning) : null;
            var options = new SolveOptions(solveMethod, !r.GetValue(unguided), choices,
                new SamplingOptions(r.GetValue(temperature), r.GetValue(topK), r.GetValue(topP)),
                new GuardOptions(r.GetValue(maxChildren), r.GetValue(maxSpawns), r.GetValue(depth), session.Context, r.GetValue(maxTokens), r.GetValue(timeLimit) * 1000),
                r.GetValue(subCalls), r.GetValue(tokenBudget) ?? BudgetPrefix.For(r.GetValue(budget), solveMethod, session.Conditioning), Budget: r.GetValue(budget), Value: value,
                TellChildren: session.Conditioning.BudgetChildren);
            using var tracing = r.GetValue(otlp) is { } endpoint ? OtlpExport.Start(endpoint) : null;
            var records = session.Runtime(Options.AsUsageError(() => options.Validate()))
                .Solve(MultiSample.Items([problem], n, r.GetValue(seed)), record => ProblemTraces.Emit(record, DateTimeOffset.UtcNow));
            if (remote is not null) r.InvocationConfiguration.Error.WriteLine(Options.BackendSummary(remote, records.Count(x => x.Outcome == ThreadOutcome.BackendError)));
            if (r.GetValue(json)) output.WriteLine(Json(records, r.GetValue(showTraces)));
            else
            {
                if (value?.For(problem.Nums.Count) is { } used) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"value guide: {used.Source} (weight {used.Weight}{(used.ExactUpTo > 1 ? $"; states of at most {used.ExactUpTo} numbers checked exactly" : "")}{(used != value ? $"; the value for {problem.Nums.Count} numbers" : "")}{(value.Revisit < 1 ? $"; states a thread knows were searched x {value.Revisit}" : "")}{(used.Widen is { } w ? $"; children whose start it rates at least {w.Threshold} look at {w.Width} successors first" : "")})"));
                Print(output, problem, records, r.GetValue(showTraces));
            }
            return records.Any(x => x.Correct) ? 0 : Cli.Failure; // documented: 1 = no verified answer
        });
        return cmd;
    }

    private static IReadOnlyList<long> ParseNums(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var nums = new List<long>();
        foreach (var p in parts)
        {
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                throw new CliException($"--nums must be non-negative integers separated by commas, got '{text}'", Cli.UsageError);
            nums.Add(v);
        }
        if (ProblemLimits.CheckNumbers(nums) is { } outOfRange) throw new CliException($"--nums: {outOfRange}", Cli.UsageError);
        return nums;
    }

    private static string Json(IReadOnlyList<ProblemRecord> records, bool texts)
    {
        // With texts go the tokens (id, sampled or inserted, log-prob): a viewer then marks the model's choices exactly.
        if (records.Count == 1) return ProblemRecordJson.ToJsonLine(records[0], texts, tokens: texts);
        var summary = MultiSample.Aggregate(records)[0];
        var o = new JsonObject
        {
            ["samples"] = summary.Samples,
            ["pass_at_n"] = summary.PassAtN,
            ["cons_at_n"] = summary.ConsAtN,
            ["answer"] = summary.MajorityAnswer is null ? null : ProblemRecordJson.Operations(summary.MajorityAnswer),
            ["correct"] = summary.ConsAtN,
            ["total_tokens"] = summary.TotalTokens,
            ["sequential_tokens"] = summary.MaxSequentialTokens,
            ["latency_ms"] = Math.Round(summary.MaxLatencyMs, 3),
            ["records"] = new JsonArray(records.Select(rec => (JsonNode)ProblemRecordJson.ToJson(rec, texts, tokens: texts)).ToArray()),
        };
        return o.ToJsonString();
    }

    private static void Print(TextWriter output, CountdownProblem problem, IReadOnlyList<ProblemRecord> records, bool traces)
    {
        output.WriteLine($"problem: reach {problem.Target} from [{string.Join(", ", problem.Nums)}]");
        foreach (var record in records)
        {
            if (records.Count > 1) output.WriteLine($"sample {record.Sample}:");
            output.WriteLine(record.Answer is { } answer
                ? $"answer: {Expression(problem, answer)} = {problem.Target}   ({string.Join(", ", answer)}; {(record.Correct ? "verified" : "NOT verified: " + record.VerifyError)})"
                : $"no answer ({Words(record.Outcome)})");
            output.WriteLine($"tokens: {record.TotalTokens} total, {record.SampledTokens} sampled, {record.SequentialTokens} sequential; {record.Spawns} spawn(s), {record.Children} child thread(s); {record.LatencyMs:F0} ms, {record.Steps} steps");
            foreach (var call in record.Calls.OrderBy(c => c.StartStep).ThenBy(c => c.Thread, StringComparer.Ordinal))
            {
                var indent = new string(' ', 2 * call.Level);
                output.WriteLine($"  {indent}thread {call.Thread} call {call.Call} at #{call.NodeId}: {call.Tokens.Count} tokens ({call.SampledTokens} sampled), {Words(call.Outcome)}, steps {call.StartStep}-{call.EndStep}, {call.StartMs:F0}-{call.EndMs:F0} ms{(call.Detail is null ? "" : ": " + call.Detail)}");
                if (traces)
                {
                    output.WriteLine($"  {indent}--- prompt");
                    foreach (var line in call.Prompt.TrimEnd('\n').Split('\n')) output.WriteLine($"  {indent}| {line}");
                    output.WriteLine($"  {indent}--- completion");
                    foreach (var line in call.Completion.TrimEnd('\n').Split('\n')) output.WriteLine($"  {indent}| {line}");
                }
            }
        }
        if (records.Count > 1)
        {
            var s = MultiSample.Aggregate(records)[0];
            output.WriteLine($"pass@{s.Samples}: {(s.PassAtN ? "yes" : "no")}; cons@{s.Samples}: {(s.ConsAtN ? "yes" : "no")} ({s.MajorityVotes} vote(s) for the majority answer)");
        }
    }

    private static string Words(ThreadOutcome outcome) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString()).Replace('_', ' ');

    /// <summary>The operations as one expression over the starting numbers, e.g. "(53 - 26) * (31 - 22)".</summary>
    internal static string Expression(CountdownProblem problem, IReadOnlyList<Operation> operations) => AnswerExpression.Of(problem, operations);
}
