// ValidationResult: TraceValidator's verdict on a whole trace tree.
using Apr.Countdown;

namespace Apr.Protocol;

/// <summary>
/// <see cref="Ok"/>, or the first failure: <see cref="Thread"/>, <see cref="Call"/> (index in the tree's
/// call list), <see cref="Line"/> (1-based line of that call's completion; 0 for its prompt),
/// <see cref="Kind"/> and <see cref="Reason"/>. <see cref="Answer"/>: the root's recap operations when the
/// trace claims a solution; <see cref="AnswerVerifies"/>: the strict Verifier's judgement of it.
/// </summary>
public sealed record ValidationResult(
    bool Ok, string? Thread, int Call, int Line, ProtocolErrorKind? Kind, string? Reason,
    long Target, IReadOnlyList<long> Nums, IReadOnlyList<Operation>? Answer, bool AnswerVerifies)
{
    public bool Solved => Ok && AnswerVerifies;

    public override string ToString() => Ok
        ? $"ok; answer {(Answer is null ? "none" : string.Join(", ", Answer))}{(AnswerVerifies ? " (verified)" : "")}"
        : $"thread {Thread}, call {Call}, line {Line}: {Kind}: {Reason}";
}
