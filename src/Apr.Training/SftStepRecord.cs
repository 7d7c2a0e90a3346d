// What the trainer reports after every optimizer step (for progress bars and logs).
namespace Apr.Training;

/// <summary>
/// One finished optimizer step: <paramref name="Step"/> is 1-based; <paramref name="Loss"/> the weighted mean
/// training loss of the step; <paramref name="ValLoss"/> set on evaluation steps; tokens are real (unpadded)
/// input tokens; <paramref name="TokensPerSecond"/> over this step.
/// </summary>
public sealed record SftStepRecord(
    int Step, int TotalSteps, int Epoch, double Loss, double? ValLoss, double Lr, double GradNorm,
    long Tokens, double TokensPerSecond, TimeSpan Elapsed, TimeSpan Eta);
