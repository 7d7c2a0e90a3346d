// SosPlusResult: one SoS+ demonstration: the trace (one call of thread "0"), whether the search
// reached the target, the answer read from the search (root-to-goal operations), and the beam drawn.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search;

/// <summary>The SoS+ trace of one problem. <see cref="Answer"/> is empty when <see cref="Solved"/> is false.</summary>
public sealed record SosPlusResult(TraceTree Trace, bool Solved, IReadOnlyList<Operation> Answer, int Beam)
{
    /// <summary>The whole trace text (prompt + completion).</summary>
    public string Text => Trace.Calls[0].Text;
}
