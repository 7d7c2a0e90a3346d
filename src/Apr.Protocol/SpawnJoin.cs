// SpawnJoin: the text builders of the spawn/join protocol (reference section 4): the spawn block a
// parent writes, the prompt of each child, and the join prompt of a resumed parent.
//
// The symbolic solver and the runtime both build these texts here, so they can never disagree.
using System.Text;
using Apr.Countdown;

namespace Apr.Protocol;

public static class SpawnJoin
{
    /// <summary>Appends the spawn block naming <paramref name="nodeIds"/> as children at <paramref name="level"/>.</summary>
    public static StringBuilder AppendSpawnBlock(StringBuilder sb, int level, IReadOnlyList<string> nodeIds)
    {
        TraceFormat.Line(sb, TraceFormat.CallingSubSearches);
        for (var i = 0; i < nodeIds.Count; i++) TraceFormat.SpawnChild(sb, i, level, nodeIds[i]);
        return TraceFormat.Line(sb, TraceFormat.EndCallingSubSearches);
    }

    /// <summary>The prompt of a child that starts at <paramref name="node"/>: its Moving line and its Current State line.</summary>
    public static string ChildPrompt(long target, SearchNode node)
    {
        var sb = new StringBuilder(96);
        TraceFormat.MovingTo(sb, node.Id);
        TraceFormat.CurrentState(sb, target, node.Nums, node.Operations);
        return sb.ToString();
    }

    /// <summary>
    /// The join prompt: <paramref name="parentText"/> (the parent's whole text, prompt and completion)
    /// cut before its last spawn block, then the join block with each child's result in spawn order.
    /// </summary>
    public static string JoinPrompt(string parentText, int level, IReadOnlyList<ChildResult> results)
    {
        var cut = LastSpawnStart(parentText);
        if (cut < 0)
            throw new ProtocolException(ProtocolErrorKind.NoSpawnBlock, "the parent's text has no '<Calling Sub Searches>' line to join at");
        var sb = new StringBuilder(cut + 64 * (results.Count + 2));
        sb.Append(parentText, 0, cut);
        AppendJoinBlock(sb, level, results);
        return sb.ToString();
    }

    /// <summary>Appends <c>&lt;Sub Searches&gt;</c> ... <c>&lt;End Sub Searches&gt;</c> for the children's results.</summary>
    public static StringBuilder AppendJoinBlock(StringBuilder sb, int level, IReadOnlyList<ChildResult> results)
    {
        TraceFormat.Line(sb, TraceFormat.SubSearches);
        foreach (var r in results)
        {
            TraceFormat.JoinChild(sb, r.Solved, r.Index, level, r.NodeId);
            if (r.Solved) sb.Append(r.Recap);
        }
        return TraceFormat.Line(sb, TraceFormat.EndSubSearches);
    }

    /// <summary>Index of the start of the last line that is exactly "&lt;Calling Sub Searches&gt;", or -1.</summary>
    public static int LastSpawnStart(string text)
    {
        var at = text.Length;
        while (true)
        {
            at = text.LastIndexOf(TraceFormat.CallingSubSearches, at - 1, StringComparison.Ordinal);
            if (at < 0) return -1;
            var startsLine = at == 0 || text[at - 1] == '\n';
            var end = at + TraceFormat.CallingSubSearches.Length;
            var endsLine = end < text.Length && text[end] == '\n';
            if (startsLine && endsLine) return at;
            if (at == 0) return -1;
        }
    }
}
