// GrpoTrainer: end-to-end RL over parent and child threads (reference section 7). Each step: rollouts of
// ProblemsPerStep problems x Group samples on the engine at the sampling temperature (guided: the grammar
// masks the choices), a binary reward from the strict verifier (optionally minus a latency weight),
// group-normalized advantages copied to every call of a rollout, then Passes optimizer steps of the
// clipped surrogate with the k3 KL to the frozen starting model, over sampled tokens only, each call's
// token mean divided by its rollout's calls. With a value (RlOptions.Value) the rollouts are decoded as solve and
// eval decode the model, and every log-probability (old, policy, reference) is that of the guided policy
// (MaskedLogProbs adds the value's recorded bias). Rollouts whose advantage is zero (all rewards in the group
// equal) add nothing to the surrogate and are skipped in the update (their KL term too: a saving on this
// CPU the paper did not need). Checkpoints are resumable; metrics.jsonl and plots are written as it goes.
// The run directory is locked while it runs, and an existing run there is refused unless resuming or
// forced (RunLock, RunDirectory, shared with `apr train`). With RlOptions.Backend the rollouts and the
// validation run on remote servers (one trainer, separate inference servers, as the paper's RL ran): the
// policy's weights are written to OutputDirectory/serving and every server reloads them at the start and
// after every update, so each step's rollouts come from the current policy. The policy, its tokenizer, decoder
// and runtimes come from an InferenceSession (as in solve and eval); the frozen reference model is a plain
// ModelLoader load, since nothing decodes with it.
using System.Diagnostics;
using Apr.Core;
using Apr.Countdown;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;
using Apr.Training;
using static TorchSharp.torch;

namespace Apr.Reinforcement;

public sealed record RlResult(int Steps, string Checkpoint, RlValRecord? FirstValidation, RlValRecord? LastValidation);

public static class GrpoTrainer
{
    public static RlResult Run(RlOptions options, IProgress<RlStepRecord>? progress = null, Action<RlValRecord>? onValidation = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchProcess.SetThreads(options.Threads);
        using var runLock = RunLock.Acquire(options.OutputDirectory, "apr rl");
        if (runLock.TookOverFrom is { } stale) options.Notice?.Invoke($"took over the lock of {stale}, which has ended");
        RunDirectory.Prepare(options.OutputDirectory, options.Resume, options.Force, RlPlots.Files, options.Notice);
        var store = new CheckpointStore(options.OutputDirectory);
        var latest = options.Resume ? store.Latest() : null;
        using var session = InferenceSession.Load(latest ?? options.ModelDirectory,
            new SessionOptions(options.Threads, options.Slots, options.Guards.ContextPerThread, options.Backend, LoadWeights: true));
        var (policy, tokenizer) = (session.Model!, session.Tokenizer);
        using var reference = ModelLoader.Load(options.ModelDirectory).Model;
        BatchMemory.Check(policy.Config, options.BatchTokens, "--batch-tokens");
        reference.eval();
        foreach (var p in reference.parameters()) p.requires_grad = false;
        using var optimizer = new AdamW(policy.NamedParameters(), weightDecay: 0.0);
        int start = 0;
        double elapsedBefore = 0;
        if (latest is not null)
        {
            CheckpointStore.LoadOptimizer(latest, optimizer);
            var state = CheckpointStore.ReadState(latest);
            start = state.Step;
            elapsedBefore = state.ElapsedSeconds;
        }
        var metrics = new RlMetrics(Path.Combine(options.OutputDirectory, "metrics.jsonl"));
        metrics.TruncateAfter(start);
        var clock = Stopwatch.StartNew();
        AprRuntime Runtime(SolveOptions solve) => session.Runtime(solve);
        Publish(policy, options);
        RlValRecord? first = metrics.Validations.FirstOrDefault(), last = metrics.Validations.LastOrDefault();
        if (start == 0 && options.Validation.Count > 0 && options.ValInterval > 0)
        {
            first = last = Validate(Runtime, options, 0);
            metrics.Append(first);
            onValidation?.Invoke(first);
        }
        string checkpoint = latest ?? "";
        long tokensSeen = 0;
        for (int step = start + 1; step <= options.Steps; step++)
        {
            var rollClock = Stopwatch.StartNew();
            var problems = ProblemsOf(options, step);
            var runtime = Runtime(new SolveOptions(options.Method, true, ChoicePolicy.Model, new SamplingOptions(options.Temperature), options.Guards, Value: options.Value, TellChildren: options.Conditioning.BudgetChildren));
            var records = runtime.Solve(WithBudgets(MultiSample.Items(problems, options.Group, Rng.Mix(options.Seed, (ulong)step)), options, step));
            double rollSeconds = rollClock.Elapsed.TotalSeconds;

            var updateClock = Stopwatch.StartNew();
            var sequences = new List<RlSequence>();
            var rewards = records.Select(r => Grpo.Reward(r.Correct, r.SequentialTokens, options.LatencyWeight)).ToArray();
            int trainedRollouts = 0;
            for (int g = 0; g < problems.Count; g++)
            {
                var advantages = Grpo.Advantages(rewards.AsSpan(g * options.Group, options.Group).ToArray());
                for (int i = 0; i < options.Group; i++)
                {
                    if (Math.Abs(advantages[i]) < 1e-8) continue;
                    trainedRollouts++;
                    sequences.AddRange(RlSequence.FromRecord(records[g * options.Group + i], advantages[i]));
                }
            }
            var update = sequences.Count == 0 ? default : Update(policy, reference, optimizer, sequences, options, records.Count);
            if (sequences.Count > 0) Publish(policy, options);
            tokensSeen += sequences.Sum(s => (long)s.Ids.Length);
            var record = new RlStepRecord(step, options.Steps, rewards.Average(), records.Average(r => r.Correct ? 1.0 : 0.0),
                records.Average(r => (double)r.TotalTokens), records.Average(r => (double)r.SequentialTokens), records.Average(r => (double)r.Children),
                trainedRollouts, sequences.Sum(s => s.Positions.Length), update.Loss, update.Kl, update.ClipFraction, update.GradNorm, options.Lr,
                rollSeconds, updateClock.Elapsed.TotalSeconds, elapsedBefore + clock.Elapsed.TotalSeconds);
            metrics.Append(record);
            progress?.Report(record);

            bool final = step == options.Steps;
            if (options.Validation.Count > 0 && options.ValInterval > 0 && (step % options.ValInterval == 0 || final))
            {
                last = Validate(Runtime, options, step);
                metrics.Append(last);
                onValidation?.Invoke(last);
            }
            if (step % options.CheckpointInterval == 0 || final)
            {
                checkpoint = store.Save(policy.Config, optimizer.Weights(), optimizer, tokenizer.ToJson(),
                    new TrainingState(step, 0, 0, options.Seed, tokensSeen, elapsedBefore + clock.Elapsed.TotalSeconds), keep: 2);
                RlPlots.Save(metrics, options.OutputDirectory);
            }
        }
        RlPlots.Save(metrics, options.OutputDirectory);
        return new RlResult(options.Steps, checkpoint, first, last);
    }

    /// <summary>With <see cref="RlOptions.Budgets"/>: each problem's rollouts get one budget, drawn from (seed, step, problem), and its prefix.</summary>
    internal static IReadOnlyList<SolveItem> WithBudgets(IReadOnlyList<SolveItem> items, RlOptions options, int step)
    {
        if (options.Budgets is not { Count: > 0 } budgets) return items;
        return items.Select((item, i) =>
        {
            var rng = Rng.ForItem(Rng.Mix(options.Seed ^ 0xb0d9e7, (ulong)step), (ulong)(i / options.Group));
            return UnderBudget(item, budgets[(int)rng.NextBelow((ulong)budgets.Count)], options);
        }).ToList();
    }

    /// <summary><paramref name="item"/> run under <paramref name="budget"/> and told it as the model reads it.</summary>
    private static SolveItem UnderBudget(SolveItem item, long budget, RlOptions options) =>
        item with { Budget = budget, TokenBudget = BudgetPrefix.For(budget, options.Method, options.Conditioning) };

    /// <summary>The problems of <paramref name="step"/>: consecutive slices of a seeded shuffle, reshuffled each epoch.</summary>
    internal static List<CountdownProblem> ProblemsOf(RlOptions options, int step)
    {
        int n = options.Problems.Count;
        var list = new List<CountdownProblem>(options.ProblemsPerStep);
        int[]? order = null;
        int orderEpoch = -1;
        for (int j = 0; j < options.ProblemsPerStep; j++)
        {
            long at = (long)(step - 1) * options.ProblemsPerStep + j;
            int epoch = (int)(at / n);
            if (epoch != orderEpoch) (order, orderEpoch) = (Permutation(n, Rng.Mix(options.Seed, (ulong)epoch)), epoch);
            list.Add(options.Problems[order![(int)(at % n)]]);
        }
        return list;
    }

    private static int[] Permutation(int n, ulong seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        var rng = new Rng(seed);
        rng.Shuffle(p.AsSpan());
        return p;
    }

    /// <summary>One update (reference log-probs, then the passes), for tests.</summary>
    internal static void UpdateForTests(LlamaForCausalLm policy, LlamaForCausalLm reference, AdamW optimizer, List<RlSequence> sequences, RlOptions options, int rollouts) =>
        Update(policy, reference, optimizer, sequences, options, rollouts);

    private readonly record struct UpdateStats(double Loss, double Kl, double ClipFraction, double GradNorm);

    private static UpdateStats Update(LlamaForCausalLm policy, LlamaForCausalLm reference, AdamW optimizer, List<RlSequence> sequences, RlOptions options, int rollouts)
    {
        var batches = MicroBatches(sequences, options.BatchTokens);
        using (no_grad())
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var lp = MaskedLogProbs.Compute(reference, batch).data<float>().ToArray();
                int at = 0;
                foreach (var s in batch)
                {
                    s.RefLogProbs = lp[at..(at + s.Positions.Length)];
                    at += s.Positions.Length;
                }
            }
        double beta = options.KlBetaOrDefault, loss = 0, kl = 0, clipped = 0, norm = 0;
        int tokens = sequences.Sum(s => s.Positions.Length);
        for (int pass = 0; pass < options.Passes; pass++)
        {
            optimizer.ZeroGrad();
            loss = kl = clipped = 0;
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var old = batch.SelectMany(s => s.OldLogProbs).ToArray();
                var refLp = batch.SelectMany(s => s.RefLogProbs).ToArray();
                var adv = batch.SelectMany(s => Enumerable.Repeat((float)s.Advantage, s.Positions.Length)).ToArray();
                var weight = batch.SelectMany(s => Enumerable.Repeat((float)(s.Weight / s.Positions.Length / rollouts), s.Positions.Length)).ToArray();
                var logp = MaskedLogProbs.Compute(policy, batch);
                var (tokenLoss, tokenKl, tokenClipped) = Grpo.TokenLoss(logp, tensor(old), tensor(refLp), tensor(adv), options.ClipEpsilon, beta);
                var batchLoss = (tokenLoss * tensor(weight)).sum();
                batchLoss.backward();
                loss += batchLoss.item<float>();
                kl += tokenKl.sum().item<float>();
                clipped += tokenClipped.sum().item<long>();
            }
            norm = optimizer.ClipGradients(options.MaxGradNorm);
            optimizer.Step(options.Lr);
        }
        return new UpdateStats(loss, kl / tokens, clipped / tokens, norm);
    }

    /// <summary>Sequences sorted by length, packed so that rows x longest row stays within <paramref name="batchTokens"/>.</summary>
    internal static List<List<RlSequence>> MicroBatches(List<RlSequence> sequences, int batchTokens)
    {
        var sorted = sequences.OrderByDescending(s => s.Ids.Length).ToList();
        var batches = new List<List<RlSequence>>();
        List<RlSequence>? current = null;
        foreach (var s in sorted)
        {
            if (current is null || (current.Count + 1) * current[0].Ids.Length > batchTokens)
                batches.Add(current = []);
            current.Add(s);
        }
        return batches;
    }

    /// <summary>With a backend: writes the policy's weights to OutputDirectory/serving and has every server load them.</summary>
    private static void Publish(LlamaForCausalLm policy, RlOptions options)
    {
        if (options.Backend is not { } backend) return;
        var dir = Path.Combine(options.OutputDirectory, "serving");
        ModelFiles.Save(policy, dir);
        backend.Reload(dir, options.Method);
    }

    private static RlValRecord Validate(Func<SolveOptions, AprRuntime> runtimes, RlOptions options, int step)
    {
        var clock = Stopwatch.StartNew();
        var runtime = runtimes(new SolveOptions(options.Method, true, ChoicePolicy.Model, SamplingOptions.Greedy, options.Guards, Value: options.Value, TellChildren: options.Conditioning.BudgetChildren));
        // With budgets, validation problem i runs under budget i mod n, told it: one accuracy over every budget.
        var items = options.Validation.Select((p, i) => options.Budgets is { Count: > 0 } b
            ? UnderBudget(new SolveItem(p, (ulong)i), b[i % b.Count], options)
            : new SolveItem(p, (ulong)i)).ToList();
        var records = runtime.Solve(items);
        return new RlValRecord(step, records.Count, records.Average(r => r.Correct ? 1.0 : 0.0), records.Average(r => (double)r.TotalTokens),
            records.Average(r => (double)r.SequentialTokens), records.Average(r => (double)r.Children), clock.Elapsed.TotalSeconds);
    }
}
