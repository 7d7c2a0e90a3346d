// SymbolicTree: a width-capped APR tree shape for the APR solver: a root beam, a (narrow) child beam and
// optionally a depth. `apr eval --symbolic-trees` runs such trees as no-learning policies; `apr data traces
// --budgets --trees` writes demonstrations from them. Narrow children (beam 1..3) are what make a spawning
// tree cheap at 4-6 numbers; the paper's children are at least as wide as the root. ExactUpTo (`apr eval
// --exact-upto N`) ranks the states of at most N numbers by an exact check (ExactRanking), still learning nothing: the
// bar for a learned ranking that learns what such a check computes. "B:S/C" gives the children a wider first look
// (ChildStartBeam S at their start node, beam C below: AprOptions.ChildStartBeam). "B:C:De" nests with children that
// return when the children of their first spawn fail (ChildrenEnd: AprOptions.ChildOnChildrenFail = End), where a nested
// child otherwise goes through its start node's successors batch after batch first. A trailing "m" ("2:4/1m", "2:2/1:2em")
// gives every thread a memory of the states it knows were searched and tries new ones first (NewStatesFirst:
// AprOptions.NewStatesFirst), the no-learning counterpart of the runtime's `--value-revisit`.
using Apr.Countdown;

namespace Apr.Search;

/// <summary>
/// A width-capped symbolic APR tree (`apr eval --symbolic-trees`): the root thread keeps <see cref="Beam"/>
/// successors per expansion and spawns them (always, when 2+), each child searches with beam
/// <see cref="ChildBeam"/>, nesting <see cref="Depth"/> levels (null: the evaluation's depth). A no-learning
/// policy like the paper's solver, with narrow children: far cheaper trees at 4-6 numbers.
/// </summary>
public sealed record SymbolicTree(int Beam, int ChildBeam, int? Depth = null)
{
    /// <summary>Null: children keep <see cref="ChildBeam"/> successors of their start node too; set: this many ("B:S/C").</summary>
    public int? ChildStartBeam { get; init; }

    /// <summary>Nested children end when the children of their spawn fail ("...:De"; AprOptions.ChildOnChildrenFail = End); the root goes on.</summary>
    public bool ChildrenEnd { get; init; }

    /// <summary>Each thread tries the states it does not know were searched first ("...m"; AprOptions.NewStatesFirst).</summary>
    public bool NewStatesFirst { get; init; }

    /// <summary>0: the heuristic ranks every state; N (2+): states of at most N numbers are ranked by an exact check (<see cref="ExactRanking"/>).</summary>
    public int ExactUpTo { get; init; }

    /// <summary>
    /// The paper's settings with this width: beam fixed, children fixed, always spawn, every kept successor a child;
    /// ranked by <paramref name="ranking"/> (a learned ranker; null: the heuristic), states of at most
    /// <see cref="ExactUpTo"/> numbers by the exact check instead.
    /// </summary>
    public AprOptions Options(int depth, ISuccessorScorer? ranking = null) => AprOptions.Paper with
    {
        BeamMin = Beam, BeamMax = Beam, ChildBeamMin = ChildBeam, ChildBeamMax = ChildBeam,
        ChildStartBeam = ChildStartBeam, ChildOnChildrenFail = ChildrenEnd ? ChildrenFailPolicy.End : null, SpawnProbability = 1, MaxChildrenPerSpawn = Beam, Depth = Depth ?? depth,
        NewStatesFirst = NewStatesFirst,
        Scorer = ExactUpTo > 0 ? new ExactRanking(ExactUpTo, ranking) : ranking,
    };

    /// <summary>"b2c2", "b2c2d2", "b2s4c2", "b2s4c1d2e", "b2s4c1m" or "b2c2d1x2" (file names, --conditions).</summary>
    public string Name => $"b{Beam}{(ChildStartBeam is { } cs ? $"s{cs}" : "")}c{ChildBeam}{(Depth is { } d ? $"d{d}" : "")}{(ChildrenEnd ? "e" : "")}{(NewStatesFirst ? "m" : "")}{(ExactUpTo > 0 ? $"x{ExactUpTo}" : "")}";

    /// <summary>The text <see cref="Parse"/> reads: "2:2", "2:4/2", "2:2:2", "2:2:2e" or "2:4/1m".</summary>
    public string Spec => $"{Beam}:{(ChildStartBeam is { } cs ? $"{cs}/" : "")}{ChildBeam}{(Depth is { } d ? $":{d}" : "")}{(ChildrenEnd ? "e" : "")}{(NewStatesFirst ? "m" : "")}";

    public string Label => $"APR symbolic, beam {Beam}, child beam {ChildBeam}{(ChildStartBeam is { } s ? $" ({s} at its start node)" : "")}{(Depth is { } d ? $", depth {d}" : "")}{(ChildrenEnd ? ", children end after one failed spawn" : "")}{(NewStatesFirst ? ", new states first" : "")}" +
                           (ExactUpTo switch { 0 => "", 2 => ", exact check of 2-number states", _ => $", exact check of states of 2 to {ExactUpTo} numbers" });

    /// <summary>Parses a comma-separated list of trees ("2:1,2:2:2"); an empty list is refused.</summary>
    public static List<SymbolicTree> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trees = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        return trees.Count > 0 ? trees : throw new FormatException($"give at least one tree BEAM:CHILD_BEAM[:DEPTH], got '{text}'");
    }

    /// <summary>Parses "B:C", "B:S/C" or with ":D" (":De") after either, and "m" at the end; throws <see cref="FormatException"/> naming the text and what is wrong.</summary>
    public static SymbolicTree Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var memory = text.EndsWith('m');
        var parts = (memory ? text[..^1] : text).Split(':');
        var v = new int[parts.Length];
        int? start = null;
        bool ok = parts.Length is 2 or 3;
        var end = parts.Length == 3 && parts[2].EndsWith('e');
        if (end) parts[2] = parts[2][..^1];
        if (ok && parts[1].Split('/') is [var s, var c])
        {
            ok = Number(s, out var sv);
            start = sv;
            parts[1] = c;
        }
        for (int i = 0; ok && i < parts.Length; i++) ok = Number(parts[i], out v[i]);
        if (!ok) throw new FormatException($"a symbolic tree is BEAM:CHILD_BEAM, BEAM:CHILD_START_BEAM/CHILD_BEAM, and :DEPTH after either, 'e' after the depth for children that end when their own children fail, 'm' at the end for new states first (e.g. 2:2, 2:4/2, 2:2:2, 2:2:2e or 2:4/1m), got '{text}'");
        var tree = new SymbolicTree(v[0], v[1], v.Length == 3 ? v[2] : null) { ChildStartBeam = start, ChildrenEnd = end, NewStatesFirst = memory };
        try
        {
            tree.Options(1).Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"symbolic tree '{text}': {e.Message}", e);
        }
        return tree;
    }

    private static bool Number(string text, out int value) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
}
