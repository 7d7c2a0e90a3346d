// Supervised fine-tuning (here: training from scratch) on trace calls: the loop, written as numbered steps.
// One optimizer step = GradAccumulation micro-batches; the loss is the weighted mean over all targets of the
// step, so accumulation equals one big batch. Deterministic given the seed and thread count: a run killed
// and resumed from its latest checkpoint continues exactly as it would have. Does not generate text or
// evaluate search accuracy (that is the evaluation project's job).
using System.Diagnostics;
using Apr.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Apr.Training;

/// <summary>Runs SFT; call <see cref="Run"/>.</summary>
public static class SftTrainer
{
    public const string LossPlotFile = "loss.png";

    /// <summary>
    /// Trains for <see cref="SftOptions.Steps"/> optimizer steps (continuing the latest checkpoint when
    /// <see cref="SftOptions.Resume"/>), reporting every step to <paramref name="progress"/>. Cancellation
    /// stops after the current step and saves a checkpoint. An exception (or a kill) saves nothing: the
    /// previous checkpoint stays the latest. The run directory is locked for the run (<see cref="RunLock"/>);
    /// an existing run there is refused unless <see cref="SftOptions.Resume"/> or <see cref="SftOptions.Force"/>
    /// (<see cref="RunDirectory.Prepare"/>).
    /// </summary>
    public static SftResult Run(SftOptions options, IProgress<SftStepRecord>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps <= 0 || options.GradAccumulation <= 0 || options.BatchTokens <= 0)
            throw new ArgumentException($"steps {options.Steps}, grad accumulation {options.GradAccumulation} and batch tokens {options.BatchTokens} must be positive");
        if (options.Threads > 0) TorchProcess.SetThreads(options.Threads);
        using var runLock = RunLock.Acquire(options.OutputDirectory, "apr train");
        if (runLock.TookOverFrom is { } stale) options.Notice?.Invoke($"took over the lock of {stale}, which has ended");
        RunDirectory.Prepare(options.OutputDirectory, options.Resume, options.Force, [LossPlotFile], options.Notice);
        var store = new CheckpointStore(options.OutputDirectory);
        var metrics = new MetricsLog(Path.Combine(options.OutputDirectory, "metrics.jsonl"));
        var tokenizer = options.Tokenizer;

        // 1. Model shape and the checkpoint to resume from (its config wins over the options).
        string? resumeFrom = options.Resume ? store.Latest() : null;
        string? initFrom = resumeFrom is null ? options.InitFrom : null;
        if (initFrom is not null && !File.Exists(Path.Combine(initFrom, ModelFiles.WeightsFile)))
            throw new ArgumentException($"--init '{initFrom}' holds no {ModelFiles.WeightsFile}: not a model directory");
        var config = resumeFrom is not null
            ? ModelConfig.Load(Path.Combine(resumeFrom, ModelFiles.ConfigFile))
            : initFrom is not null ? ModelConfig.Load(Path.Combine(initFrom, ModelFiles.ConfigFile))
            : (options.Model ?? ModelConfig.Preset(options.Preset, tokenizer.VocabSize)).Validate();
        if (config.VocabSize != tokenizer.VocabSize)
            throw new ArgumentException($"model vocab_size {config.VocabSize} differs from the tokenizer's {tokenizer.VocabSize}");

        // 2. Data: tokenize, split by problem, plan length-bucketed micro-batches.
        int maxLength = Math.Min(options.MaxSequenceLength ?? config.MaxPositionEmbeddings, config.MaxPositionEmbeddings);
        var data = SftData.Load(options.DataFiles, tokenizer, options.Weighting, options.ValFraction, options.Seed, maxLength, options.CheckTraces);
        if (data.Skipped + data.Untrained > 0)
            options.Notice?.Invoke($"data: {data.Train.Count:#,0} training and {data.Val.Count:#,0} validation sequences; left out {data.Skipped:#,0} longer than {maxLength:#,0} tokens and {data.Untrained:#,0} with no trained token");
        int budget = Math.Max(options.BatchTokens, data.Longest);
        BatchMemory.Check(config, budget, "--batch-tokens");
        var batches = new BucketedBatches(data.Train.Select(s => s.Length).ToList(), budget, options.Seed);
        var valBatches = data.Val.Count == 0 ? null : new BucketedBatches(data.Val.Select(s => s.Length).ToList(), budget, options.Seed ^ 0x5eed);

        // 3. Model and optimizer, fresh from the seed or restored from the checkpoint.
        using var model = TorchProcess.Seeded(options.Seed, () => new LlamaForCausalLm(config));
        if (resumeFrom is not null) ModelFiles.LoadWeights(model, Path.Combine(resumeFrom, ModelFiles.WeightsFile));
        else if (initFrom is not null) ModelFiles.LoadWeights(model, Path.Combine(initFrom, ModelFiles.WeightsFile));
        var masters = options.Bf16 ? AdamW.CastToBf16(model) : null;
        using var optimizer = new AdamW(model.NamedParameters(), options.Beta1, options.Beta2, 1e-8, options.WeightDecay, masters);
        foreach (var m in masters?.Values ?? Enumerable.Empty<Tensor>()) m.Dispose();
        var state = new TrainingState(0, 0, 0, options.Seed, 0, 0);
        if (resumeFrom is not null)
        {
            CheckpointStore.LoadOptimizer(resumeFrom, optimizer);
            state = CheckpointStore.ReadState(resumeFrom);
            state.CheckResume(resumeFrom, options.Seed, options.BatchTokens, batches.Epoch(state.Epoch).Count);
        }
        metrics.TruncateAfter(state.Step);
        var schedule = new LrSchedule(options.PeakLr, options.MinLr, options.WarmupSteps, options.Steps);
        model.train();

        // 4. The loop: accumulate micro-batches, clip, step, report; evaluate and checkpoint at intervals.
        var clock = Stopwatch.StartNew();
        double lastLoss = double.NaN;
        double? lastVal = null;
        string checkpoint = resumeFrom ?? "";
        int epoch = state.Epoch, inEpoch = state.BatchInEpoch;
        long tokensSeen = state.TokensSeen;
        int firstStep = state.Step;
        for (int step = state.Step; step < options.Steps; step++)
        {
            var stepClock = Stopwatch.StartNew();
            var micro = new List<int[]>();
            for (int a = 0; a < options.GradAccumulation; a++)
            {
                var plan = batches.Epoch(epoch);
                micro.Add(plan[inEpoch]);
                if (++inEpoch == plan.Count) (epoch, inEpoch) = (epoch + 1, 0);
            }
            double weightSum = micro.Sum(b => b.Sum(i => (double)data.Train[i].Weights.Sum()));
            double lossSum = 0;
            long stepTokens = 0;
            foreach (var rows in micro)
            {
                using var scope = NewDisposeScope();
                using var batch = SftBatch.From(rows.Select(i => data.Train[i]).ToList(), tokenizer.Pad);
                var losses = model.TokenLosses(batch.Ids, batch.Targets); // (B, T)
                var weighted = (losses * batch.Weights).sum(); // ()
                (weighted / Math.Max(weightSum, 1e-9)).backward();
                lossSum += weighted.item<float>();
                stepTokens += batch.Tokens;
            }
            double gradNorm = optimizer.ClipGradients(options.ClipNorm);
            double lr = schedule.At(step);
            optimizer.Step(lr);
            optimizer.ZeroGrad();
            tokensSeen += stepTokens;
            lastLoss = lossSum / Math.Max(weightSum, 1e-9);

            int done = step + 1;
            bool last = done == options.Steps || cancel.IsCancellationRequested;
            double? val = null;
            if (valBatches is not null && (last || (options.ValInterval > 0 && done % options.ValInterval == 0)))
                lastVal = val = Validate(model, data, valBatches, options.MaxValBatches, tokenizer.Pad);
            double elapsed = state.ElapsedSeconds + clock.Elapsed.TotalSeconds;
            double perStep = clock.Elapsed.TotalSeconds / (done - firstStep);
            var record = new SftStepRecord(done, options.Steps, epoch, lastLoss, val, lr, gradNorm, tokensSeen,
                stepTokens / Math.Max(stepClock.Elapsed.TotalSeconds, 1e-9), TimeSpan.FromSeconds(elapsed),
                TimeSpan.FromSeconds(perStep * (options.Steps - done)));
            metrics.Append(record);
            if (last || (options.CheckpointInterval > 0 && done % options.CheckpointInterval == 0))
            {
                var newState = new TrainingState(done, epoch, inEpoch, options.Seed, tokensSeen, elapsed) { BatchTokens = options.BatchTokens };
                checkpoint = store.Save(config, optimizer.Weights(), optimizer, tokenizer.ToJson(), newState, options.KeepCheckpoints);
                LossPlot.Save(metrics, Path.Combine(options.OutputDirectory, LossPlotFile));
            }
            progress?.Report(record);
            if (cancel.IsCancellationRequested) return Result(done);
        }
        return Result(Math.Max(options.Steps, state.Step));

        SftResult Result(int steps) => new(checkpoint, steps, lastLoss, lastVal, tokensSeen,
            TimeSpan.FromSeconds(state.ElapsedSeconds + clock.Elapsed.TotalSeconds),
            data.Train.Count, data.Val.Count, data.Skipped, batches.PaddingFraction(0), data.Untrained);
    }

    /// <summary>Weighted mean loss over (up to <paramref name="maxBatches"/> of) the validation batches.</summary>
    private static double Validate(LlamaForCausalLm model, SftData data, BucketedBatches batches, int maxBatches, int pad)
    {
        model.eval();
        using var noGrad = no_grad();
        double sum = 0, weights = 0;
        foreach (var rows in batches.Epoch(0).Take(Math.Max(1, maxBatches)))
        {
            using var scope = NewDisposeScope();
            using var batch = SftBatch.From(rows.Select(i => data.Val[i]).ToList(), pad);
            var losses = model.TokenLosses(batch.Ids, batch.Targets); // (B, T)
            sum += (losses * batch.Weights).sum().item<float>();
            weights += batch.WeightSum;
        }
        model.train();
        return sum / Math.Max(weights, 1e-9);
    }
}
