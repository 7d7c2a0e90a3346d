// GrammarState: where a thread's grammar stands between lines.
namespace Apr.Protocol;

public enum GrammarState
{
    /// <summary>More lines are expected: see <see cref="ThreadGrammar.Options"/>.</summary>
    Open,
    /// <summary>The thread wrote a spawn block and ended its call; the runtime must insert the join block.</summary>
    AwaitingJoin,
    /// <summary>The thread is done (goal and recap, or "No solution found."): end of thread.</summary>
    Finished,
}
