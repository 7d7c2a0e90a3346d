// EvalCondition: one thing the evaluation runs over the problems: a policy (the model, a no-model line
// policy, or the symbolic solver that wrote the demonstrations), a method, and how it is decoded (guided
// or not, temperature, samples per problem, conditioning prefix, a total-token budget, one problem at a
// time for latency). Plain data; Evaluator runs it.
using Apr.Inference;
using Apr.Protocol;
using Apr.Search;

namespace Apr.Evaluation;

public enum EvalPolicy
{
    /// <summary>The trained model.</summary>
    Model,
    /// <summary>Uniform among the grammar's legal lines, giving up included: the floor.</summary>
    Uniform,
    /// <summary>Uniform among the legal lines, but never giving up while another line exists.</summary>
    Random,
    /// <summary>The zero-parameter enumerator: explore, spawn, move; smallest numbers first; give up last.</summary>
    Enumerate,
    /// <summary>The symbolic solver that wrote the demonstrations (SoS+ or APR).</summary>
    Symbolic,
    /// <summary>A width-capped APR tree (<see cref="EvalCondition.Tree"/>) whose successors a learned classifier ranks (`apr eval --ranker`): learned, but only the ranking.</summary>
    Ranked,
}

/// <summary>
/// <see cref="Name"/> is unique within a run (file names, JSON keys); <see cref="Label"/> is for plots.
/// <see cref="OneAtATime"/>: problems run one after another (a problem's own threads still batch), so
/// latency is a single problem's wall-clock time on this machine, not a share of a crowded batch.
/// <see cref="TellChildren"/>: the TokenBudget prefix goes on every thread's prompt (SolveOptions.TellChildren).
/// </summary>
public sealed record EvalCondition(
    string Name,
    string Label,
    SearchMethod Method,
    EvalPolicy Policy,
    bool Guided = true,
    double Temperature = 0,
    int Samples = 1,
    int? SubCallBudget = null,
    int? TokenBudget = null,
    bool OneAtATime = false,
    int? Limit = null,
    long? Budget = null,
    SymbolicTree? Tree = null,
    bool TellChildren = false)
{
    public string MethodName => Method.WireName();

    /// <summary>The runtime's choice policy (null for the symbolic solver, which does not run on the runtime).</summary>
    public ChoicePolicy? Choices => Policy switch
    {
        EvalPolicy.Model => ChoicePolicy.Model,
        EvalPolicy.Uniform => ChoicePolicy.Uniform,
        EvalPolicy.Random => ChoicePolicy.Random,
        EvalPolicy.Enumerate => ChoicePolicy.Enumerate,
        _ => null,
    };

    /// <summary>The policy's wire name: model, uniform, random, enumerate, symbolic, symbolic-b2c2 (a <see cref="SymbolicTree"/>), or ranked-b2c2 (the tree with the learned ranking).</summary>
    public string PolicyName => Choices?.Name() ?? (Tree is null ? "symbolic" : Policy == EvalPolicy.Ranked ? $"ranked-{Tree.Name}" : $"symbolic-{Tree.Name}");

    /// <summary>Whether anything in the policy was learned: the model, or the ranking of a ranked tree.</summary>
    public bool Learned => Policy is EvalPolicy.Model or EvalPolicy.Ranked;

    /// <summary>The problems it runs out of <paramref name="available"/> (the first ones, up to <see cref="Limit"/>).</summary>
    public int ProblemCount(int available) => Math.Min(available, Limit ?? int.MaxValue);

    /// <summary>Samples it produces over <paramref name="available"/> problems.</summary>
    public long SampleCount(int available) => (long)ProblemCount(available) * Samples;
}
