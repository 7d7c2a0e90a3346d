// RlStepRecord and RlValRecord: one line of an RL run's metrics.jsonl each (snake_case JSON): what the
// rollouts of a step did and how the update went; and a greedy validation pass.
namespace Apr.Reinforcement;

public sealed record RlStepRecord(
    int Step,
    int TotalSteps,
    double Reward,
    double Accuracy,
    double TokensPerProblem,
    double SequentialTokensPerProblem,
    double ChildrenPerProblem,
    int TrainedRollouts,
    int TrainedTokens,
    double Loss,
    double Kl,
    double ClipFraction,
    double GradNorm,
    double Lr,
    double RolloutSeconds,
    double UpdateSeconds,
    double ElapsedSeconds);

public sealed record RlValRecord(int Step, int Problems, double Accuracy, double TokensPerProblem, double SequentialTokensPerProblem, double ChildrenPerProblem, double Seconds);
