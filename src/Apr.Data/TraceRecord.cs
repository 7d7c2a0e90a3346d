// TraceRecord: one problem's demonstration (or model run) as stored in a traces JSONL file.
using Apr.Protocol;

namespace Apr.Data;

/// <summary>
/// A problem, the method the trace speaks, whether it solved the problem, the
/// answer read from the trace (operations such as "53-22=31"; empty when unsolved) and the calls in
/// execution order. <see cref="Depth"/>: the APR nesting depth the trace was written with (1, as in the
/// paper: only the root spawns; 2: children may spawn too), so validation, statistics and training marks
/// replay it under the grammar it was written in without being told.
/// </summary>
public sealed record TraceRecord(
    string Id,
    long Target,
    IReadOnlyList<long> Nums,
    SearchMethod Method,
    bool Solved,
    IReadOnlyList<string> Answer,
    IReadOnlyList<ThreadCall> Calls)
{
    /// <summary>The most nesting a trace may hold: the solvers' and the runtime's limit.</summary>
    public const int MaxDepth = 5;

    public int Depth { get; init; } = 1;

    public TraceTree Tree => new(Method, Calls);
}
