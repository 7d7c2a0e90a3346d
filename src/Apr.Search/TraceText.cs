// TraceText: the fast writers of the solvers' trace lines. Each formats one line into a stack buffer
// (LineWriter) and appends it at once, reading ids and operation paths straight from the NodeArena
// instead of building strings or lists per node. Byte-identical to TraceFormat, the canonical writer
// (tested line by line against it); rare fixed lines are written with TraceFormat itself.
using System.Text;
using Apr.Countdown;

namespace Apr.Search;

internal static class TraceText
{
    // A line holds at most: a prefix, 6 numbers, 5 operations of 3 numbers, an id of 6 parts;
    // 20-digit numbers included that is under 640 characters.
    private const int LineMax = 640;

    public static void CurrentState(StringBuilder sb, long target, NodeArena a, int node)
    {
        var w = new LineWriter(stackalloc char[LineMax]);
        w.Text("Current State: ");
        w.Number(target);
        w.Char(':');
        w.List(a.NumsOf(node));
        w.Text(", Operations: [");
        AppendOps(ref w, a, node);
        w.Text("]\n");
        w.AppendTo(sb);
    }

    public static void Exploring(StringBuilder sb, in Operation op, ReadOnlySpan<long> resulting)
    {
        var w = new LineWriter(stackalloc char[LineMax]);
        w.Text("Exploring Operation: ");
        w.Op(op);
        w.Text(", Resulting Numbers: ");
        w.List(resulting);
        w.Char('\n');
        w.AppendTo(sb);
    }

    public static void Verdict(StringBuilder sb, long value, long target)
    {
        var w = new LineWriter(stackalloc char[LineMax]);
        w.Number(value);
        w.Char(',');
        w.Number(target);
        w.Text(value == target ? " equal: Goal Reached\n" : " unequal: No Solution\n");
        w.AppendTo(sb);
    }

    public static void GeneratedNode(StringBuilder sb, long target, NodeArena a, int node)
    {
        var w = new LineWriter(stackalloc char[LineMax]);
        w.Text("Generated Node #");
        w.Id(a, node);
        w.Text(": ");
        w.Number(target);
        w.Char(':');
        w.List(a.NumsOf(node));
        w.Text(" Operation: ");
        w.Op(a.Op[node]);
        w.Char('\n');
        w.AppendTo(sb);
    }

    public static void MovingTo(StringBuilder sb, NodeArena a, int node)
    {
        var w = new LineWriter(stackalloc char[LineMax]);
        w.Text("Moving to Node #");
        w.Id(a, node);
        w.Char('\n');
        w.AppendTo(sb);
    }

    public static void StartSubSearch(StringBuilder sb, int level, NodeArena a, int node)
    {
        var w = new LineWriter(stackalloc char[LineMax]);
        w.Text("Start Sub Search at level ");
        w.Number(level);
        w.Text(": Moving to Node #");
        w.Id(a, node);
        w.Char('\n');
        w.AppendTo(sb);
    }

    // Writes 'op1', 'op2', ... for the path from the root; returns whether anything was written.
    private static bool AppendOps(ref LineWriter w, NodeArena a, int node)
    {
        var p = a.Parent[node];
        if (p < 0) return false;
        if (AppendOps(ref w, a, p))
        {
            w.Char(',');
            w.Char(' ');
        }
        w.Char('\'');
        w.Op(a.Op[node]);
        w.Char('\'');
        return true;
    }
}
