// TraceLine: one line of the trace language (reference sections 3 and 4) as a typed value, with
// Write() producing the canonical text through TraceFormat (newline included).
//
// This file only represents lines; parsing is TraceLineParser's job and whether a line is legal at a
// given point is ThreadGrammar's job. Conditioning prefixes ("Sub Call Budget: N ", "Token Budget: N ")
// are a wrapper around the line they precede. Note: records holding arrays compare those arrays by
// reference; compare lines by their Write() text.
using System.Text;
using Apr.Countdown;

namespace Apr.Protocol;

/// <summary>A parsed trace line. The nested records are the line kinds.</summary>
public abstract record TraceLine
{
    /// <summary>Appends the canonical text of this line, newline included.</summary>
    public abstract StringBuilder AppendTo(StringBuilder sb);

    /// <summary>The canonical text of this line, newline included.</summary>
    public string Write() => AppendTo(new StringBuilder(64)).ToString();

    /// <summary><c>Current State: 27:[22, 26, 31, 53], Operations: ['53-26=27']</c></summary>
    public sealed record CurrentState(long Target, long[] Nums, Operation[] Operations) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.CurrentState(sb, Target, Nums, Operations);
    }

    /// <summary><c>Exploring Operation: 53-22=31, Resulting Numbers: [26, 31, 31]</c></summary>
    public sealed record Exploring(Operation Operation, long[] Resulting) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.Exploring(sb, Operation, Resulting);
    }

    /// <summary><c>Generated Node #0,1: 27:[26, 31, 31] Operation: 53-22=31</c></summary>
    public sealed record GeneratedNode(string NodeId, long Target, long[] Nums, Operation Operation) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.GeneratedNode(sb, NodeId, Target, Nums, Operation);
    }

    /// <summary><c>27,27 equal: Goal Reached</c> or <c>26,27 unequal: No Solution</c>.</summary>
    public sealed record Verdict(long Value, long Target) : TraceLine
    {
        public bool Equal => Value == Target;
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.Verdict(sb, Value, Target);
    }

    /// <summary><c>Moving to Node #0,1</c></summary>
    public sealed record MovingTo(string NodeId) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.MovingTo(sb, NodeId);
    }

    /// <summary><c>No solution found.</c></summary>
    public sealed record NoSolutionFound : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.NoSolution(sb);
    }

    /// <summary>SoS+ dive: <c>Start Sub Search at level 1: Moving to Node #0,1</c></summary>
    public sealed record StartSubSearch(int Level, string NodeId) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.StartSubSearch(sb, Level, NodeId);
    }

    /// <summary>SoS+: <c>Exit Sub Search at level 1</c></summary>
    public sealed record ExitSubSearch(int Level) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.ExitSubSearch(sb, Level);
    }

    /// <summary>SoS+: <c>No solution found in sub search</c></summary>
    public sealed record SubSearchFailed : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.SubSearchFailed(sb);
    }

    /// <summary><c>&lt;Calling Sub Searches&gt;</c></summary>
    public sealed record CallingSubSearches : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.Line(sb, TraceFormat.CallingSubSearches);
    }

    /// <summary><c>&lt;Start Sub Search 0 at level 1&gt; Moving to Node #0,0</c></summary>
    public sealed record SpawnChild(int Index, int Level, string NodeId) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.SpawnChild(sb, Index, Level, NodeId);
    }

    /// <summary><c>&lt;End Calling Sub Searches&gt;</c></summary>
    public sealed record EndCallingSubSearches : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.Line(sb, TraceFormat.EndCallingSubSearches);
    }

    /// <summary><c>&lt;Sub Searches&gt;</c> (join block start; runtime-inserted only).</summary>
    public sealed record SubSearches : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.Line(sb, TraceFormat.SubSearches);
    }

    /// <summary><c>&lt;Goal Reached in Sub Search 1 at level 1 at Node #0,1&gt;</c> or the No Solution form.</summary>
    public sealed record JoinChild(bool Solved, int Index, int Level, string NodeId) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.JoinChild(sb, Solved, Index, Level, NodeId);
    }

    /// <summary><c>&lt;End Sub Searches&gt;</c></summary>
    public sealed record EndSubSearches : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb) => TraceFormat.Line(sb, TraceFormat.EndSubSearches);
    }

    /// <summary>A conditioning prefix (<c>Sub Call Budget: 8 </c> or <c>Token Budget: 1024 </c>) before <see cref="Line"/>.</summary>
    public sealed record Conditioned(ConditionKind Kind, int Value, TraceLine Line) : TraceLine
    {
        public override StringBuilder AppendTo(StringBuilder sb)
        {
            if (Kind == ConditionKind.SubCallBudget) TraceFormat.SubCallBudget(sb, Value);
            else TraceFormat.TokenBudget(sb, Value);
            return Line.AppendTo(sb);
        }
    }
}
