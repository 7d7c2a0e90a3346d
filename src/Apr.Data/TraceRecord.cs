// TraceRecord: one problem's demonstration (or model run) as stored in a traces JSONL file.
using Apr.Protocol;

namespace Apr.Data;

/// <summary>
/// A problem, the method the trace speaks, whether it solved the problem, the
/// answer read from the trace (operations such as "53-22=31"; empty when unsolved) and the calls in
/// execution order.
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
    public TraceTree Tree => new(Method, Calls);
}
