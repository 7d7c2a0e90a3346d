// SolveOptions: everything that decides how the runtime solves problems. Plain immutable data.
namespace Apr.Inference;

/// <summary>
/// <see cref="Guided"/>: grammar-guided decoding (default) or plain sampling (the paper's setting).
/// <see cref="SubCallBudget"/> / <see cref="TokenBudget"/>: conditioning prefixes on the root prompt
/// (<c>Sub Call Budget: N </c> for APR, <c>Token Budget: B </c> for SoS+). <see cref="PrefixReuse"/>: a
/// resumed parent reuses its cached prefix. <see cref="MaxConcurrentProblems"/>: problems in flight at once
/// (0: one per slot for SoS+; for APR as many as fit with a full spawn each, see AprRuntime.ProblemsInFlight).
/// </summary>
public sealed record SolveOptions(
    SolveMethod Method = SolveMethod.Apr,
    bool Guided = true,
    ChoicePolicy Policy = ChoicePolicy.Model,
    SamplingOptions? Sampling = null,
    GuardOptions? Guards = null,
    int? SubCallBudget = null,
    int? TokenBudget = null,
    bool PrefixReuse = true,
    int MaxConcurrentProblems = 0)
{
    public SamplingOptions SamplingOrGreedy => Sampling ?? SamplingOptions.Greedy;
    public GuardOptions GuardsOrDefault => Guards ?? GuardOptions.Default;

    public SolveOptions Validate()
    {
        SamplingOrGreedy.Validate();
        GuardsOrDefault.Validate();
        if (Policy == ChoicePolicy.Random && !Guided) throw new ArgumentException("the random-choice policy needs guided decoding (it picks among the grammar's lines)");
        if (SubCallBudget is < 0) throw new ArgumentOutOfRangeException(nameof(SubCallBudget), SubCallBudget, "must be >= 0");
        if (TokenBudget is < 0) throw new ArgumentOutOfRangeException(nameof(TokenBudget), TokenBudget, "must be >= 0");
        if (MaxConcurrentProblems < 0) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentProblems), MaxConcurrentProblems, "must be >= 0");
        return this;
    }
}
