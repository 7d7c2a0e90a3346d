// TraceFormat: every line of the trace language, written exactly as the reference generator writes
// them (reference sections 3 and 4). Each method appends one whole line, newline included.
//
// This is the canonical writer: the solvers, the protocol and the grammar all write through it (or,
// where speed matters, are tested against it), so no two parts of apr can disagree on a character.
// It does not parse; the protocol library's line parser is the inverse and is tested as such.
using System.Text;

namespace Apr.Countdown;

public static class TraceFormat
{
    public const string NoSolutionFound = "No solution found.";
    public const string NoSolutionInSubSearch = "No solution found in sub search";
    public const string CallingSubSearches = "<Calling Sub Searches>";
    public const string EndCallingSubSearches = "<End Calling Sub Searches>";
    public const string SubSearches = "<Sub Searches>";
    public const string EndSubSearches = "<End Sub Searches>";

    /// <summary>How an expansion line starts (<see cref="Exploring"/>).</summary>
    public const string ExploringPrefix = "Exploring Operation: ";

    /// <summary><c>[22, 26, 31, 53]</c></summary>
    public static StringBuilder AppendList(this StringBuilder sb, ReadOnlySpan<long> nums)
    {
        sb.Append('[');
        for (var i = 0; i < nums.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(nums[i]);
        }
        return sb.Append(']');
    }

    /// <summary><c>['53-22=31', '31/31=1']</c>, or <c>[]</c>.</summary>
    public static StringBuilder AppendOperations(this StringBuilder sb, IReadOnlyList<Operation> ops)
    {
        sb.Append('[');
        for (var i = 0; i < ops.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append('\'').AppendOperation(ops[i]).Append('\'');
        }
        return sb.Append(']');
    }

    public static StringBuilder AppendOperation(this StringBuilder sb, Operation op) =>
        sb.Append(op.Left).Append(op.Symbol).Append(op.Right).Append('=').Append(op.Result);

    /// <summary><c>Current State: 27:[22, 26, 31, 53], Operations: []</c></summary>
    public static StringBuilder CurrentState(StringBuilder sb, long target, ReadOnlySpan<long> nums, IReadOnlyList<Operation> ops) =>
        sb.Append("Current State: ").Append(target).Append(':').AppendList(nums)
          .Append(", Operations: ").AppendOperations(ops).Append('\n');

    /// <summary><c>Exploring Operation: 53-22=31, Resulting Numbers: [26, 31, 31]</c></summary>
    public static StringBuilder Exploring(StringBuilder sb, Operation op, ReadOnlySpan<long> resulting) =>
        sb.Append(ExploringPrefix).AppendOperation(op).Append(", Resulting Numbers: ").AppendList(resulting).Append('\n');

    /// <summary><c>Generated Node #0,1: 27:[26, 31, 31] Operation: 53-22=31</c></summary>
    public static StringBuilder GeneratedNode(StringBuilder sb, string nodeId, long target, ReadOnlySpan<long> nums, Operation op) =>
        sb.Append("Generated Node #").Append(nodeId).Append(": ").Append(target).Append(':').AppendList(nums)
          .Append(" Operation: ").AppendOperation(op).Append('\n');

    /// <summary><c>27,27 equal: Goal Reached</c> or <c>26,27 unequal: No Solution</c></summary>
    public static StringBuilder Verdict(StringBuilder sb, long value, long target) =>
        sb.Append(value).Append(',').Append(target)
          .Append(value == target ? " equal: Goal Reached\n" : " unequal: No Solution\n");

    /// <summary><c>Moving to Node #0,1</c></summary>
    public static StringBuilder MovingTo(StringBuilder sb, string nodeId) =>
        sb.Append("Moving to Node #").Append(nodeId).Append('\n');

    public static StringBuilder NoSolution(StringBuilder sb) => sb.Append(NoSolutionFound).Append('\n');

    /// <summary>SoS+ dive: <c>Start Sub Search at level 1: Moving to Node #0,1</c></summary>
    public static StringBuilder StartSubSearch(StringBuilder sb, int level, string nodeId) =>
        sb.Append("Start Sub Search at level ").Append(level).Append(": Moving to Node #").Append(nodeId).Append('\n');

    /// <summary>SoS+: <c>Exit Sub Search at level 1</c></summary>
    public static StringBuilder ExitSubSearch(StringBuilder sb, int level) =>
        sb.Append("Exit Sub Search at level ").Append(level).Append('\n');

    public static StringBuilder SubSearchFailed(StringBuilder sb) => sb.Append(NoSolutionInSubSearch).Append('\n');

    /// <summary>APR spawn line: <c>&lt;Start Sub Search 0 at level 1&gt; Moving to Node #0,0</c></summary>
    public static StringBuilder SpawnChild(StringBuilder sb, int index, int level, string nodeId) =>
        sb.Append("<Start Sub Search ").Append(index).Append(" at level ").Append(level)
          .Append("> Moving to Node #").Append(nodeId).Append('\n');

    /// <summary>APR join line: <c>&lt;Goal Reached in Sub Search 3 at level 1 at Node #0,3&gt;</c> or the No Solution form.</summary>
    public static StringBuilder JoinChild(StringBuilder sb, bool solved, int index, int level, string nodeId) =>
        sb.Append(solved ? "<Goal Reached in Sub Search " : "<No Solution in Sub Search ").Append(index)
          .Append(" at level ").Append(level).Append(" at Node #").Append(nodeId).Append(">\n");

    public static StringBuilder Line(StringBuilder sb, string fixedLine) => sb.Append(fixedLine).Append('\n');

    /// <summary>Conditioning prefix for APR parents: <c>Sub Call Budget: 8 </c> (no newline).</summary>
    public static StringBuilder SubCallBudget(StringBuilder sb, int children) => sb.Append("Sub Call Budget: ").Append(children).Append(' ');

    /// <summary>Conditioning prefix for SoS+: <c>Token Budget: 1024 </c> (no newline).</summary>
    public static StringBuilder TokenBudget(StringBuilder sb, int tokens) => sb.Append("Token Budget: ").Append(tokens).Append(' ');
}
