// GrammarScope: one (sub)search of a thread: the whole thread, or one SoS+ dive (internal).
using Apr.Countdown;

namespace Apr.Protocol;

internal sealed class GrammarScope(int serial, int level, GrammarNode start)
{
    public int Serial { get; } = serial;
    public int Level { get; } = level;
    public GrammarNode Start { get; } = start;
    public GrammarNode Current { get; private set; } = start;
    /// <summary>Nodes generated in this scope, in order; the Open ones are the move/dive/spawn targets.</summary>
    public List<GrammarNode> Generated { get; } = [];
    /// <summary>Successors of <see cref="Current"/> not yet explored.</summary>
    public List<Successor> Remaining { get; private set; } = Successor.All(start.Nums);

    /// <summary>Makes a twin of the current node current, keeping the successors left to explore.</summary>
    public void ReplaceCurrent(GrammarNode twin) => Current = twin;

    public void Enter(GrammarNode node)
    {
        Current = node;
        Remaining = Successor.All(node.Nums);
    }
}
