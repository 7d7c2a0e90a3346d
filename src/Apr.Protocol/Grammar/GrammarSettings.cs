// GrammarSettings: the per-thread knobs of ThreadGrammar. Plain immutable data.
namespace Apr.Protocol;

/// <summary>
/// Settings for one thread. <see cref="Level"/>: the thread's level (APR root 0, its children 1, ...;
/// SoS+ always 0). <see cref="MaxDepth"/>: APR: the thread may spawn iff Level &lt; MaxDepth (paper: 1);
/// SoS+: a dive to level k is allowed iff k &lt;= MaxDepth (reference: unlimited). <see cref="MaxChildren"/>:
/// most children one spawn block may name.
/// </summary>
public sealed record GrammarSettings(SearchMethod Mode, int Level = 0, int MaxDepth = 1, int MaxChildren = int.MaxValue)
{
    /// <summary>SoS+ with unlimited dive nesting (as the reference solver).</summary>
    public static GrammarSettings SosPlus { get; } = new(SearchMethod.SosPlus, 0, 64);

    /// <summary>An APR root thread that may spawn children (one level, as in the paper).</summary>
    public static GrammarSettings AprRoot { get; } = new(SearchMethod.Apr, 0, 1);

    /// <summary>The settings of this thread's children.</summary>
    public GrammarSettings ForChild() => this with { Level = Level + 1 };
}
