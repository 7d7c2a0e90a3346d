// ConditionKind: which conditioning prefix opens a prompt line (reference sections 4 and 5).
namespace Apr.Protocol;

public enum ConditionKind
{
    /// <summary><c>Sub Call Budget: N </c> (APR parents).</summary>
    SubCallBudget,
    /// <summary><c>Token Budget: N </c> (SoS+).</summary>
    TokenBudget,
}
