// Everything one supervised run needs, as one immutable record (the CLI fills it from its flags).
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Training;

/// <summary>Options of <see cref="SftTrainer.Run"/>. Defaults suit the "default" preset on a 2-core CPU.</summary>
public sealed record SftOptions
{
    /// <summary>Trace JSONL files whose calls are the training data.</summary>
    public required IReadOnlyList<string> DataFiles { get; init; }

    /// <summary>Run directory: checkpoints/, metrics.jsonl, loss.png.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Model preset name (see <see cref="ModelConfig.PresetNames"/>); ignored when <see cref="Model"/> is set.</summary>
    public string Preset { get; init; } = "default";

    /// <summary>An explicit model shape (its vocab size must equal the tokenizer's); overrides <see cref="Preset"/>.</summary>
    public ModelConfig? Model { get; init; }

    public TraceTokenizer Tokenizer { get; init; } = TraceTokenizer.Default;

    /// <summary>Which targets are trained on (default: completion tokens and EOS).</summary>
    public TokenWeighting Weighting { get; init; } = TokenWeightings.Completion;

    /// <summary>Optimizer steps in total (a resumed run continues up to this).</summary>
    public int Steps { get; init; } = 2000;

    /// <summary>Padded tokens per micro-batch (rows x longest row).</summary>
    public int BatchTokens { get; init; } = 16_384;

    /// <summary>Micro-batches per optimizer step.</summary>
    public int GradAccumulation { get; init; } = 1;

    public double PeakLr { get; init; } = 1e-3;
    public double MinLr { get; init; } = 1e-4;
    public int WarmupSteps { get; init; } = 100;
    public double WeightDecay { get; init; } = 0.01;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Compute in bfloat16 with float32 master weights and optimizer state.</summary>
    public bool Bf16 { get; init; }

    /// <summary>Share of problems (file lines) held out for validation.</summary>
    public double ValFraction { get; init; } = 0.02;

    /// <summary>Refuse traces that fail `apr data validate`'s check (default). Off only for tests of the loop on synthetic text.</summary>
    public bool CheckTraces { get; init; } = true;

    /// <summary>Validation every this many steps (and at the end); 0 = only at the end.</summary>
    public int ValInterval { get; init; } = 100;

    /// <summary>At most this many validation micro-batches per evaluation.</summary>
    public int MaxValBatches { get; init; } = 16;

    /// <summary>Checkpoint every this many steps (and at the end).</summary>
    public int CheckpointInterval { get; init; } = 200;

    /// <summary>Checkpoints kept on disk (the newest ones).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Sequences longer than this many tokens are skipped (default: the model's context).</summary>
    public int? MaxSequenceLength { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>Torch intra-op threads; 0 leaves torch's default.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>
    /// A model directory (config.json + model.safetensors) whose weights start a fresh run (fine-tuning);
    /// its config replaces <see cref="Preset"/>. Ignored when resuming (the checkpoint wins).
    /// </summary>
    public string? InitFrom { get; init; }

    /// <summary>Continue from the latest checkpoint in <see cref="OutputDirectory"/> if there is one.</summary>
    public bool Resume { get; init; }

    /// <summary>Start over when <see cref="OutputDirectory"/> already holds a run: delete its checkpoints, metrics.jsonl and loss.png.</summary>
    public bool Force { get; init; }

    /// <summary>Where the trainer says what it did to the run directory (a stale lock taken over, leftovers or an old run deleted).</summary>
    public Action<string>? Notice { get; init; }
}
