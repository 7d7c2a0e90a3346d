// ConditionResult: what one condition produced: its samples (every sample of every problem, in problem
// order), the runtime records behind them (null for the symbolic solver), and the wall time it took.
using Apr.Inference;

namespace Apr.Evaluation;

public sealed record ConditionResult(EvalCondition Condition, IReadOnlyList<EvalSample> Samples, IReadOnlyList<ProblemRecord> Records, double Seconds);
