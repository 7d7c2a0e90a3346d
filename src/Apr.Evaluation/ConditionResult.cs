// ConditionResult: what one condition produced: its samples (every sample of every problem, in problem
// order), the records behind them (one ProblemRecord per sample, whatever the policy), and the wall time it took.
using Apr.Inference;

namespace Apr.Evaluation;

public sealed record ConditionResult(EvalCondition Condition, IReadOnlyList<EvalSample> Samples, IReadOnlyList<ProblemRecord> Records, double Seconds);
