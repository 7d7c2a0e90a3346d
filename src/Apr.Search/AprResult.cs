// AprResult: one APR demonstration: the trace tree (calls in execution order), whether the root
// thread reached the target, the answer (root-to-goal operations), the beams drawn, and how many
// spawn blocks and child threads the tree has (over all levels).
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search;

/// <summary>The APR trace tree of one problem. <see cref="Answer"/> is empty when <see cref="Solved"/> is false.</summary>
public sealed record AprResult(TraceTree Trace, bool Solved, IReadOnlyList<Operation> Answer,
    int Beam, int ChildBeam, int Spawns, int Children);
