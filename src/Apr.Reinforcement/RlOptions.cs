// RlOptions: everything one GRPO run needs (reference section 7, scaled to a 2-core CPU). Plain data
// with validation; GrpoTrainer runs it.
using Apr.Countdown;
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Reinforcement;

/// <summary>
/// Defaults are the paper's where they carry over (group 5, temperature 1.0, PPO ε 0.2, 2 optimizer passes,
/// clip 1.0, KL β 0.001 for APR / 0.01 for SoS+) and scaled where they do not: 8 problems per step instead
/// of 64, and a larger learning rate for a model 60 times smaller.
/// </summary>
public sealed record RlOptions
{
    public required string ModelDirectory { get; init; }
    public required IReadOnlyList<CountdownProblem> Problems { get; init; }
    public required string OutputDirectory { get; init; }
    public IReadOnlyList<CountdownProblem> Validation { get; init; } = [];
    public SearchMethod Method { get; init; } = SearchMethod.Apr;
    public int Steps { get; init; } = 60;
    public int ProblemsPerStep { get; init; } = 8;
    public int Group { get; init; } = 5;
    public double Temperature { get; init; } = 1.0;
    public double Lr { get; init; } = 1e-4;
    public double ClipEpsilon { get; init; } = 0.2;
    /// <summary>KL weight; null = the paper's for the method (APR 0.001, SoS+ 0.01).</summary>
    public double? KlBeta { get; init; }
    public int Passes { get; init; } = 2;
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Padded tokens per micro-batch of the policy update.</summary>
    public int BatchTokens { get; init; } = 16_384;
    /// <summary>Reward = success − this × sequential tokens / 1,000 (0: the paper's reward).</summary>
    public double LatencyWeight { get; init; }
    public int ValInterval { get; init; } = 10;
    public int CheckpointInterval { get; init; } = 5;
    public bool Resume { get; init; }
    /// <summary>Start over when the output directory already holds a run (deletes its checkpoints, metrics.jsonl and plots).</summary>
    public bool Force { get; init; }
    /// <summary>Where the trainer says what it did to the run directory (a stale lock taken over, leftovers or an old run deleted).</summary>
    public Action<string>? Notice { get; init; }
    public ulong Seed { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    public GuardOptions Guards { get; init; } = GuardOptions.Default;
    public int Slots { get; init; } = 64;

    /// <summary>
    /// Remote servers that run the rollouts and validation (apr rl --backend); null: in process. They are told
    /// to load the policy's weights at the start and after every update (IEngineSource.Reload), from
    /// OutputDirectory/serving, which they must be able to read. The caller owns it.
    /// </summary>
    public IEngineSource? Backend { get; init; }

    /// <summary>
    /// Total-token budgets to train under (null: none). Each problem of a step draws one (seeded); its
    /// rollouts run under it (the runtime stops a rollout at the budget, so the reward is 1 only for a
    /// verified answer within it) and the model is told it (<see cref="Conditioning"/>). Validation runs
    /// under the largest.
    /// </summary>
    public IReadOnlyList<int>? Budgets { get; init; }

    /// <summary>
    /// A learned value the rollouts and the validation are decoded with (ValueGuide; `apr rl --value-model`, by default the
    /// one the model's manifest links): the policy trained is the guided one, softmax(logits + W ln value) at each choice
    /// among states, which is how solve, eval and serve decode the model. Null: the model's logits alone. The caller owns it.
    /// </summary>
    public ValueGuide? Value { get; init; }

    /// <summary>What the model reads of its budget (its manifest); only used with <see cref="Budgets"/>.</summary>
    public ModelConditioning Conditioning { get; init; } = ModelConditioning.None;

    public double KlBetaOrDefault => KlBeta ?? (Method == SearchMethod.Apr ? 0.001 : 0.01);

    public RlOptions Validate()
    {
        if (Problems.Count == 0) throw new ArgumentException("no training problems");
        Conditioning.Validate();
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "must be at least 1");
        if (ProblemsPerStep < 1) throw new ArgumentOutOfRangeException(nameof(ProblemsPerStep), ProblemsPerStep, "must be at least 1");
        if (Group < 2) throw new ArgumentOutOfRangeException(nameof(Group), Group, "a group needs at least 2 rollouts to compare");
        if (!(Temperature > 0 && double.IsFinite(Temperature))) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "rollouts must sample (temperature > 0)");
        if (!(Lr > 0 && Lr < 1)) throw new ArgumentOutOfRangeException(nameof(Lr), Lr, "must be in (0, 1)");
        if (!(ClipEpsilon > 0 && ClipEpsilon < 1)) throw new ArgumentOutOfRangeException(nameof(ClipEpsilon), ClipEpsilon, "must be in (0, 1)");
        if (!(KlBetaOrDefault >= 0 && double.IsFinite(KlBetaOrDefault))) throw new ArgumentOutOfRangeException(nameof(KlBeta), KlBeta, "must be >= 0");
        if (Passes < 1) throw new ArgumentOutOfRangeException(nameof(Passes), Passes, "must be at least 1");
        if (!(MaxGradNorm > 0)) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), MaxGradNorm, "must be positive");
        if (BatchTokens < 64) throw new ArgumentOutOfRangeException(nameof(BatchTokens), BatchTokens, "must be at least 64");
        if (!(LatencyWeight >= 0 && double.IsFinite(LatencyWeight))) throw new ArgumentOutOfRangeException(nameof(LatencyWeight), LatencyWeight, "must be >= 0");
        if (ValInterval < 0) throw new ArgumentOutOfRangeException(nameof(ValInterval), ValInterval, "must be >= 0");
        if (CheckpointInterval < 1) throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "must be at least 1");
        if (Budgets is { } b && (b.Count == 0 || b.Any(x => x < 16))) throw new ArgumentException($"budgets must be at least 16 tokens, got {string.Join(",", b)}");
        Guards.Validate();
        return this;
    }
}
