// ReplayMarks: GrammarReplay's answer: per completion character forced or chosen, and where (if
// anywhere) the text leaves the grammar.
namespace Apr.Protocol;

/// <summary>
/// <see cref="Forced"/>[i] is true when completion character i was forced (every option still
/// consistent with the text before it agrees on it) and false when it was chosen. Only the first
/// <see cref="ValidLength"/> characters are meaningful. <see cref="LeftAt"/> is -1 when the whole
/// completion is inside the grammar, otherwise the index of the first character outside it, with
/// <see cref="Reason"/> and <see cref="Kind"/>. <see cref="EndState"/> is the grammar's state after the
/// accepted text (an unfinished last line leaves it Open).
/// </summary>
public sealed record ReplayMarks(bool[] Forced, int ValidLength, int LeftAt, string? Reason, ProtocolErrorKind? Kind, GrammarState EndState)
{
    public bool Ok => LeftAt < 0;

    /// <summary>Number of chosen characters among the valid ones.</summary>
    public int ChosenCount
    {
        get
        {
            var n = 0;
            for (var i = 0; i < ValidLength; i++) if (!Forced[i]) n++;
            return n;
        }
    }
}
