// SolveOptions: everything that decides how the runtime solves problems. Plain immutable data.
using Apr.Protocol;
namespace Apr.Inference;

/// <summary>
/// <see cref="Guided"/>: grammar-guided decoding (default) or plain sampling (the paper's setting).
/// <see cref="SubCallBudget"/> / <see cref="TokenBudget"/>: conditioning prefixes on the root prompt
/// (<c>Sub Call Budget: N </c> for APR; <c>Token Budget: B </c> for either method: a budget-trained APR
/// model reads its total-token budget there, the SoS+ model its trace length). <see cref="Budget"/>: the
/// most tokens a problem may hold in all (every thread's new prompt tokens and completions), enforced
/// as tokens are added: the problem stops unsolved (TokenLimit) before a token would pass it. <see cref="PrefixReuse"/>: a
/// resumed parent reuses its cached prefix. <see cref="MaxConcurrentProblems"/>: problems in flight at once
/// (0: one per slot for SoS+; for APR as many as fit with a full spawn each, see AprRuntime.ProblemsInFlight).
/// <see cref="Value"/>: a learned value that weighs the model's choices among states (ValueGuide; guided, model policy only).
/// <see cref="TellChildren"/>: every child's prompt starts with the root's conditioning prefixes too (its <c>Token Budget: B </c>;
/// an APR model trained so: manifest "budget_children"; BudgetedTraces.TellChildren; what TraceValidator accepts).
/// </summary>
public sealed record SolveOptions(
    SearchMethod Method = SearchMethod.Apr,
    bool Guided = true,
    ChoicePolicy Policy = ChoicePolicy.Model,
    SamplingOptions? Sampling = null,
    GuardOptions? Guards = null,
    int? SubCallBudget = null,
    int? TokenBudget = null,
    bool PrefixReuse = true,
    int MaxConcurrentProblems = 0,
    long? Budget = null,
    ValueGuide? Value = null,
    bool TellChildren = false)
{
    public SamplingOptions SamplingOrGreedy => Sampling ?? SamplingOptions.Greedy;
    public GuardOptions GuardsOrDefault => Guards ?? GuardOptions.Default;

    /// <summary>The budget <paramref name="item"/> runs under: its own, else these options' (null: none).</summary>
    public long? BudgetFor(SolveItem item) => item.Budget ?? Budget;

    /// <summary>The Token Budget prefix <paramref name="item"/> is told: its own, else these options' (null: none).</summary>
    public int? TokenBudgetFor(SolveItem item) => item.TokenBudget ?? TokenBudget;

    /// <summary>The tokens <paramref name="item"/> may hold: its budget, capped by the guard on total tokens.</summary>
    public long TokenLimitFor(SolveItem item) => Math.Min(BudgetFor(item) ?? long.MaxValue, GuardsOrDefault.MaxTotalTokensPerProblem);

    public SolveOptions Validate()
    {
        SamplingOrGreedy.Validate();
        GuardsOrDefault.Validate();
        if (Policy != ChoicePolicy.Model && !Guided) throw new ArgumentException($"the {Policy.Name()} policy needs guided decoding (it picks among the grammar's lines)");
        if (Value is not null && (!Guided || Policy != ChoicePolicy.Model)) throw new ArgumentException("a value guide weighs a model's choices under guided decoding: it needs the model policy and guided decoding");
        if (Budget is < 1) throw new ArgumentOutOfRangeException(nameof(Budget), Budget, "a budget must be at least 1 token");
        if (SubCallBudget is < 0) throw new ArgumentOutOfRangeException(nameof(SubCallBudget), SubCallBudget, "must be >= 0");
        if (TokenBudget is < 0) throw new ArgumentOutOfRangeException(nameof(TokenBudget), TokenBudget, "must be >= 0");
        if (MaxConcurrentProblems < 0) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentProblems), MaxConcurrentProblems, "must be >= 0");
        return this;
    }
}
