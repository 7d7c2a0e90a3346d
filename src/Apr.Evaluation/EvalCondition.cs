// EvalCondition: one thing the evaluation runs over the problems: a policy (the model, the no-model
// random-choice policy, or the symbolic solver that wrote the demonstrations), a method, and how it is
// decoded (guided or not, temperature, samples per problem, conditioning prefix, one problem at a time
// for latency). Plain data; Evaluator runs it.
using Apr.Inference;

namespace Apr.Evaluation;

public enum EvalPolicy
{
    /// <summary>The trained model.</summary>
    Model,
    /// <summary>Uniform among the grammar's legal lines: what the grammar alone gives.</summary>
    Random,
    /// <summary>The symbolic solver that wrote the demonstrations (SoS+ or APR).</summary>
    Symbolic,
}

/// <summary>
/// <see cref="Name"/> is unique within a run (file names, JSON keys); <see cref="Label"/> is for plots.
/// <see cref="OneAtATime"/>: problems run one after another (a problem's own threads still batch), so
/// latency is a single problem's wall-clock time on this machine, not a share of a crowded batch.
/// </summary>
public sealed record EvalCondition(
    string Name,
    string Label,
    SolveMethod Method,
    EvalPolicy Policy,
    bool Guided = true,
    double Temperature = 0,
    int Samples = 1,
    int? SubCallBudget = null,
    int? TokenBudget = null,
    bool OneAtATime = false,
    int? Limit = null)
{
    public string MethodName => Method == SolveMethod.Apr ? "apr" : "sosp";

    /// <summary>The problems it runs out of <paramref name="available"/> (the first ones, up to <see cref="Limit"/>).</summary>
    public int ProblemCount(int available) => Math.Min(available, Limit ?? int.MaxValue);

    /// <summary>Samples it produces over <paramref name="available"/> problems.</summary>
    public long SampleCount(int available) => (long)ProblemCount(available) * Samples;
}
