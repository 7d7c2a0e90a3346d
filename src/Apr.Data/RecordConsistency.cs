// RecordConsistency: what `apr data validate` checks beyond the trace itself: that the record's own
// fields agree with the trace the validator replayed. The problem (target and numbers) must be the
// trace's root state; `solved` must match whether the trace's answer verifies; a solved record's
// `answer` must be the trace's answer and must solve the record's problem under the strict verifier;
// an unsolved record has no answer. (A record whose answer is "99-36=99", or whose target was edited
// after the trace was written, used to pass.) Pure; the validator judges the trace, this the record.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Data;

public static class RecordConsistency
{
    /// <summary>
    /// The whole check of a record, as `apr data validate` makes it and as training and statistics rely
    /// on: the trace replays under the protocol (TraceValidator) and the record agrees with it (<see cref="Check"/>).
    /// <c>Failure</c> is null when both hold. The APR grammar allows the record's own depth, or the
    /// options' when that is larger (records that do not say their depth are taken at depth 1).
    /// </summary>
    public static (ValidationResult Result, string? Failure) Validate(TraceRecord record, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        options ??= ValidationOptions.Default;
        var result = TraceValidator.Validate(record.Tree, options with { AprMaxDepth = Math.Max(options.AprMaxDepth, record.Depth) });
        return (result, result.Ok ? Check(record, result) : result.ToString());
    }

    /// <summary>The first disagreement between <paramref name="record"/> and its replayed trace <paramref name="result"/> (which must be Ok), or null.</summary>
    public static string? Check(TraceRecord record, ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(result);
        if (record.Target != result.Target || !record.Nums.SequenceEqual(result.Nums))
            return $"the record's problem {record.Target}:[{string.Join(", ", record.Nums)}] is not the trace's root state {result.Target}:[{string.Join(", ", result.Nums)}]";
        if (record.Solved != result.Solved)
            return record.Solved ? "the record says solved, but the trace's answer does not verify" : "the record says unsolved, but the trace reaches a verified answer";
        if (!record.Solved)
            return record.Answer.Count == 0 ? null : $"the record is unsolved but has an answer [{string.Join(", ", record.Answer)}]";
        var ops = new List<Operation>();
        foreach (var text in record.Answer)
        {
            if (!Operation.TryParse(text, out var op, out var error)) return $"the record's answer step '{text}' is not an operation: {error}";
            ops.Add(op);
        }
        var verdict = Verifier.Verify(record.Target, record.Nums, ops);
        if (!verdict.Ok) return $"the record's answer [{string.Join(", ", record.Answer)}] does not solve it: {verdict.Error}";
        var traceAnswer = result.Answer?.Select(o => o.ToString()).ToList() ?? [];
        if (!traceAnswer.SequenceEqual(record.Answer))
            return $"the record's answer [{string.Join(", ", record.Answer)}] is not the trace's [{string.Join(", ", traceAnswer)}]";
        return null;
    }
}
