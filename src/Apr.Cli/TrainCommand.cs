// TrainCommand: `apr train --data FILE --out DIR [--preset NAME] [--steps N] [--resume] ...`:
// supervised training of a model on demonstration traces, with a progress bar (loss, tokens/s, ETA),
// checkpoints that a killed run resumes from, metrics.jsonl and loss.png in the run directory. An existing
// run in --out is refused unless --resume (continue it) or --force (start over; says what it deletes), and
// the directory is locked while training (SftTrainer, RunDirectory).
using System.CommandLine;
using System.Globalization;
using Apr.Model;
using Apr.Training;
using Spectre.Console;

namespace Apr.Cli;

internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo[]>("--data") { Description = "traces JSONL (repeat for several files)", Required = true, AllowMultipleArgumentsPerToken = true };
        data.Validators.Add(r =>
        {
            if (!Options.TryGet<FileInfo[]>(r, out var files)) return;
            foreach (var f in files ?? []) if (!f.Exists) r.AddError($"--data: file '{f.FullName}' does not exist");
        });
        var output = new Option<DirectoryInfo>("--out") { Description = "run directory: checkpoints/, metrics.jsonl, loss.png", Required = true };
        var preset = new Option<string>("--preset") { Description = "model size", DefaultValueFactory = _ => "default" };
        preset.AcceptOnlyFromAmong([.. ModelConfig.PresetNames]);
        var steps = Options.Int("--steps", "optimizer steps in total (a resumed run continues up to this)", 2000, 1, 10_000_000);
        var resume = new Option<bool>("--resume") { Description = "continue from the latest checkpoint in --out" };
        var force = new Option<bool>("--force") { Description = "start over when --out already holds a run: deletes its checkpoints, metrics.jsonl and loss.png (and says so)" };
        var init = new Option<DirectoryInfo?>("--init") { Description = "start from this model directory's weights (fine-tuning; its config replaces --preset)" };
        var loss = new Option<string>("--loss-on") { Description = "which tokens are trained: completion (default), all, or chosen (only the decisions the trace grammar leaves to the model)", DefaultValueFactory = _ => "completion" };
        loss.AcceptOnlyFromAmong("completion", "all", "chosen");
        var rootDecisionWeight = Options.Number("--root-decision-weight", "with --loss-on chosen: the weight of a chosen token that begins a line of the root call (explore, move or spawn: the choice the budget prefix should steer); every other chosen token weighs 1", 1, 0, 1000, minExcluded: true);
        var batchTokens = Options.Int("--batch-tokens", "padded tokens per micro-batch (refused when its estimated memory exceeds the budget: see README)", 16_384, 64, 1_000_000);
        var accumulation = Options.Int("--grad-accumulation", "micro-batches per optimizer step", 1, 1, 1024);
        var lr = Options.Number("--lr", "peak learning rate (cosine decay to a tenth of it)", 1e-3, 0, 1, minExcluded: true, maxExcluded: true);
        var warmup = Options.Int("--warmup", "warm-up steps", 100, 0, 10_000_000);
        var bf16 = new Option<bool>("--bf16") { Description = "compute in bfloat16 with float32 master weights" };
        var valInterval = Options.Int("--val-interval", "validation loss every N steps (0 = only at the end)", 100, 0, 10_000_000);
        var checkpointInterval = Options.Int("--checkpoint-interval", "checkpoint every N steps", 200, 1, 10_000_000);
        var seed = Options.Seed();
        var threads = Options.Threads("CPU threads for torch");
        var cmd = new Command("train", "Train a model on demonstration traces (supervised; resumable).")
        {
            data, output, preset, steps, resume, force, init, loss, rootDecisionWeight, batchTokens, accumulation, lr, warmup, bf16, valInterval, checkpointInterval, seed, threads,
        };
        cmd.SetAction(r =>
        {
            if (r.GetValue(rootDecisionWeight) != 1 && r.GetValue(loss) != "chosen")
                throw new CliException("--root-decision-weight needs --loss-on chosen (it weighs the root's chosen tokens)", Cli.UsageError);
            var peak = r.GetValue(lr);
            var options = new SftOptions
            {
                DataFiles = [.. r.GetValue(data)!.Select(f => f.FullName)],
                OutputDirectory = r.GetValue(output)!.FullName,
                Preset = r.GetValue(preset)!,
                Steps = r.GetValue(steps),
                Resume = r.GetValue(resume),
                Force = r.GetValue(force),
                Notice = r.InvocationConfiguration.Output.WriteLine,
                InitFrom = r.GetValue(init)?.FullName,
                Weighting = r.GetValue(loss) == "chosen" ? ChosenTokens.Weighting(rootDecisionWeight: (float)r.GetValue(rootDecisionWeight)) : TokenWeightings.ByName(r.GetValue(loss)!),
                BatchTokens = r.GetValue(batchTokens),
                GradAccumulation = r.GetValue(accumulation),
                PeakLr = peak,
                MinLr = peak / 10,
                WarmupSteps = r.GetValue(warmup),
                Bf16 = r.GetValue(bf16),
                ValInterval = r.GetValue(valInterval),
                CheckpointInterval = r.GetValue(checkpointInterval),
                Seed = r.GetValue(seed),
                Threads = r.GetValue(threads),
            };
            var o = r.InvocationConfiguration.Output;
            var result = DataCommands.Validate(() => Progress.Run($"training {options.Preset}", options.Steps, r.InvocationConfiguration.Error, report =>
            {
                var last = DateTime.MinValue;
                return SftTrainer.Run(options, new StepReporter(step =>
                {
                    report(step.Step);
                    if (DateTime.UtcNow - last < TimeSpan.FromSeconds(30) && step.Step != step.TotalSteps) return;
                    last = DateTime.UtcNow;
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"step {step.Step}/{step.TotalSteps}  loss {step.Loss:F4}{(step.ValLoss is { } v ? $"  val {v:F4}" : "")}  lr {step.Lr:G3}  {step.TokensPerSecond:F0} tok/s  eta {step.Eta:hh\\:mm\\:ss}"));
                }));
            }));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained {result.Steps} steps ({result.Tokens} tokens, {result.Elapsed:hh\\:mm\\:ss}): loss {result.LastLoss:F4}, validation {result.LastValLoss?.ToString("F4", CultureInfo.InvariantCulture) ?? "n/a"}; checkpoint {result.Checkpoint}"));
            return 0;
        });
        return cmd;
    }

    /// <summary>Synchronous IProgress: reports run on the training thread, in order.</summary>
    private sealed class StepReporter(Action<SftStepRecord> report) : IProgress<SftStepRecord>
    {
        public void Report(SftStepRecord value) => report(value);
    }
}
