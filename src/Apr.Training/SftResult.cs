// What a finished (or cancelled) run returns.
namespace Apr.Training;

/// <summary>Outcome of <see cref="SftTrainer.Run"/>: where the newest checkpoint is and the last losses; the sequences trained, held out, skipped (too long) and left out (no trained token).</summary>
public sealed record SftResult(string Checkpoint, int Steps, double LastLoss, double? LastValLoss, long Tokens, TimeSpan Elapsed,
                               int TrainSequences, int ValSequences, int SkippedSequences, double PaddingFraction,
                               int UntrainedSequences);
