// RlCommand: `apr rl --model DIR --problems FILE --out DIR [options]`: GRPO over parent and child threads
// (reference section 7) for an APR or SoS+ model, with a progress bar (reward, accuracy, tokens and
// children per problem), resumable checkpoints, metrics.jsonl and plots. A model whose manifest links a value
// (ValueGuideOptions) is trained as it is decoded, with that value, unless `--value-model none`. Wiring only: Apr.Reinforcement
// (which locks --out and refuses an existing run there unless --resume or --force, as `apr train` does).
using System.CommandLine;
using System.Globalization;
using Apr.Protocol;
using Apr.Data;
using Apr.Inference;
using Apr.Reinforcement;

namespace Apr.Cli;

internal static class RlCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "the starting model (SFT): a model directory, checkpoint or `apr train` run (default: the shipped model of --method)" };
        var problems = Options.InputFile("--problems", "training problems JSONL (ours or the reference's field names)");
        var validation = Options.InputFile("--val-problems", "validation problems for greedy accuracy during the run", required: false);
        var valLimit = Options.Int("--val-limit", "validation problems used (the first N)", 200, 1, int.MaxValue);
        var output = new Option<DirectoryInfo>("--out") { Description = "run directory: checkpoints/, metrics.jsonl, *.png", Required = true };
        var method = Options.Method("apr or sosp");
        var steps = Options.Int("--steps", "RL steps in total (a resumed run continues up to this)", 60, 1, 1_000_000);
        var perStep = Options.Int("--problems-per-step", "problems per step (the paper: 64)", 8, 1, 4096);
        var group = Options.Int("--group", "rollouts per problem (the paper: 5)", 5, 2, 256);
        var temperature = Options.Number("--temperature", "rollout temperature", 1.0, 0, 100, minExcluded: true);
        var lr = Options.Number("--lr", "learning rate", 1e-4, 0, 1, minExcluded: true, maxExcluded: true);
        var kl = Options.OptionalNumber("--kl", "KL weight to the starting model (default: 0.001 for apr, 0.01 for sosp, as the paper)", 0);
        var clip = Options.Probability("--clip", "PPO clipping epsilon", 0.2);
        var passes = Options.Int("--passes", "optimizer passes per batch of rollouts", 2, 1, 100);
        var latencyWeight = Options.Number("--latency-weight", "latency-aware reward: success minus this per 1,000 sequential tokens (0 = the paper's reward)", 0.0, 0);
        var batchTokens = Options.Int("--batch-tokens", "padded tokens per micro-batch of the update (refused when its estimated memory exceeds the budget)", 16_384, 64, 1_000_000);
        var context = Options.Int("--context", $"tokens per thread (0 = {InferenceDefaults.ContextPerThread:N0} or the model's context if smaller)", 0, 0, 1_000_000);
        var valInterval = Options.Int("--val-interval", "greedy validation every N steps (0 = never)", 10, 0, 1_000_000);
        var checkpointInterval = Options.Int("--checkpoint-interval", "checkpoint every N steps", 5, 1, 1_000_000);
        var resume = new Option<bool>("--resume") { Description = "continue from the latest checkpoint in --out" };
        var force = new Option<bool>("--force") { Description = "start over when --out already holds a run: deletes its checkpoints, metrics.jsonl and plots (and says so)" };
        var budgets = Options.IntList("--budgets", "train under total-token budgets: each problem's rollouts draw one, are stopped at it and are told it ('Token Budget: B'); validation cycles through them", [], 16, 100_000_000);
        var budgetBins = Options.IntList("--budget-bins", "the budgets the model reads (default: its manifest's budget_bins)", [], 1, 100_000_000);
        var budgetUnit = Options.BudgetUnit("--budget-unit", "rl");
        var budgetChildren = Options.BudgetChildren("--budget-children");
        var seed = Options.Seed();
        var threads = Options.Threads("CPU threads for torch");
        var valueGuide = new ValueGuideOptions();
        var backend = Options.Backend();
        backend.Description += "; after every update the weights are written to --out/serving and every server reloads them (POST /update_weights_from_disk: apr serve, SGLang)";
        var cmd = new Command("rl", "Improve a model with end-to-end reinforcement learning (GRPO) over parent and child threads (resumable).")
        {
            model, problems, validation, valLimit, output, method, steps, perStep, group, temperature, lr, kl, clip, passes, latencyWeight,
            batchTokens, context, valInterval, checkpointInterval, resume, force, budgets, budgetBins, budgetUnit, budgetChildren, seed, threads, backend,
        };
        valueGuide.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var o = r.InvocationConfiguration.Output;
            var solveMethod = Options.MethodOf(r, method);
            var dir = r.GetValue(model)?.FullName ?? InferenceSession.DefaultModel(solveMethod, useEnvironment: false)
                ?? throw new CliException("no model: pass --model DIR (an SFT model directory or `apr train` run)");
            int ctx;
            ModelConditioning conditioning;
            using (var start = InferenceSession.Load(dir, new SessionOptions(r.GetValue(threads), 1, r.GetValue(context))))
                (ctx, conditioning) = (start.Context, start.Conditioning);
            using var value = valueGuide.Load(r, conditioning);
            using var remote = Options.BackendOf(r, backend);
            var train = ProblemFile.Read(r.GetValue(problems)!.FullName);
            var val = r.GetValue(validation) is { } vf ? ProblemFile.Read(vf.FullName).Take(r.GetValue(valLimit)).ToList() : [];
            var options = new RlOptions
            {
                ModelDirectory = dir,
                Problems = train,
                Validation = val,
                OutputDirectory = r.GetValue(output)!.FullName,
                Method = solveMethod,
                Steps = r.GetValue(steps),
                ProblemsPerStep = r.GetValue(perStep),
                Group = r.GetValue(group),
                Temperature = r.GetValue(temperature),
                Lr = r.GetValue(lr),
                KlBeta = r.GetValue(kl),
                ClipEpsilon = r.GetValue(clip),
                Passes = r.GetValue(passes),
                LatencyWeight = r.GetValue(latencyWeight),
                BatchTokens = r.GetValue(batchTokens),
                ValInterval = r.GetValue(valInterval),
                CheckpointInterval = r.GetValue(checkpointInterval),
                Resume = r.GetValue(resume),
                Force = r.GetValue(force),
                Notice = o.WriteLine,
                Seed = r.GetValue(seed),
                Threads = r.GetValue(threads),
                Guards = GuardOptions.Default with { ContextPerThread = ctx },
                Budgets = r.GetValue(budgets) is { Length: > 0 } b ? b : null,
                Conditioning = (r.GetValue(budgetBins) is { Length: > 0 } bins ? new ModelConditioning(bins, null) : conditioning)
                    with { BudgetUnit = r.GetValue(budgetUnit) ?? conditioning.BudgetUnit, BudgetChildren = r.GetValue(budgetChildren) || conditioning.BudgetChildren },
                Backend = remote,
                Value = value,
            };
            Options.AsUsageError(options.Validate);
            var result = Progress.Run("rl", options.Steps, r.InvocationConfiguration.Error, report =>
                GrpoTrainer.Run(options, new StepReporter(s =>
                {
                    report(s.Step);
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"step {s.Step}/{s.TotalSteps}  reward {s.Reward:F3}  accuracy {100 * s.Accuracy:F1}%  tokens/problem {s.TokensPerProblem:F0}  children/problem {s.ChildrenPerProblem:F1}  trained {s.TrainedRollouts} rollouts  kl {s.Kl:F4}  clip {100 * s.ClipFraction:F1}%  {s.RolloutSeconds:F0}+{s.UpdateSeconds:F0} s"));
                }), v => o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"validation at step {v.Step}: accuracy {100 * v.Accuracy:F1}% ({v.Problems} problems, greedy)  tokens/problem {v.TokensPerProblem:F0}  children/problem {v.ChildrenPerProblem:F1}  {v.Seconds:F0} s"))));
            if (remote is not null) o.WriteLine(Options.BackendSummary(remote, null));
            if (value is not null) o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rollouts and validation decoded with the value {value.Source} (weight {value.Weight}, exact check up to {value.ExactUpTo} numbers{string.Concat(value.BySize.Select(kv => $"; {kv.Key} numbers: {kv.Value.Source}"))}{(value.Widen is { } w ? $"; widened first looks {w}" : "")})"));
            o.WriteLine($"RL done: {result.Steps} steps; checkpoint {result.Checkpoint}" +
                (result.FirstValidation is { } f && result.LastValidation is { } l
                    ? string.Create(CultureInfo.InvariantCulture, $"; validation accuracy {100 * f.Accuracy:F1}% -> {100 * l.Accuracy:F1}%")
                    : ""));
            return 0;
        });
        return cmd;
    }

    private sealed class StepReporter(Action<RlStepRecord> report) : IProgress<RlStepRecord>
    {
        public void Report(RlStepRecord value) => report(value);
    }
}
