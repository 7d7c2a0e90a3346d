// ReferenceTraceDict: the Python reference's APR trace_dict, already parsed from JSON by the caller:
// main_calls (the parent's call texts in order) and sub_calls (for each spawn, the children's dicts).
namespace Apr.Protocol;

/// <summary>The reference's <c>trace_dict</c>: <c>main_calls</c> and, per spawn, the child <c>trace_dict</c>s.</summary>
public sealed record ReferenceTraceDict(IReadOnlyList<string> MainCalls, IReadOnlyList<IReadOnlyList<ReferenceTraceDict>> SubCalls);
