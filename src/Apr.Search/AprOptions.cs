// AprOptions: the settings of the APR demonstration solver (reference section 4). Defaults are the
// reference code's: beam uniform in 1..10, child beam uniform in [beam, 15], spawn probability 0.9,
// only the top-level thread spawns (Depth 1), at most 10 children per spawn, mult heuristic; and,
// as the paper describes, a parent whose children all failed goes on searching (Continue).
// Immutable; override with `with { ... }`; Validate() names the bad value.
using Apr.Countdown;

namespace Apr.Search;

public sealed record AprOptions
{
    /// <summary>Most nesting levels of threads that <see cref="Depth"/> allows.</summary>
    public const int MaxDepth = 5;

    /// <summary>Smallest beam of the root thread, drawn per problem (inclusive).</summary>
    public int BeamMin { get; init; } = 1;

    /// <summary>Largest beam of the root thread (inclusive, at most 64).</summary>
    public int BeamMax { get; init; } = 10;

    /// <summary>Child threads' beam is uniform in [beam, ChildBeamMax] per problem (at least BeamMax, at most 64), or in [ChildBeamMin, ChildBeamMax] when that is set.</summary>
    public int ChildBeamMax { get; init; } = 15;

    /// <summary>Null (the paper): a child's beam is at least the root's. Set: children draw from [ChildBeamMin, ChildBeamMax] whatever the root's beam (narrow children under a wide root).</summary>
    public int? ChildBeamMin { get; init; }

    /// <summary>
    /// Null (the paper): a child keeps as many successors of its start node as of any other node (its beam). Set: a
    /// child keeps this many of its start node's successors and its beam below (a wider first look, narrow dives:
    /// a child of a 5-number root misses its 4-number problem mostly at that first choice).
    /// </summary>
    public int? ChildStartBeam { get; init; }

    /// <summary>Probability of spawning after expanding a node with more than one kept non-terminal successor.</summary>
    public double SpawnProbability { get; init; } = 0.9;

    /// <summary>Thread levels that may spawn: 1 = only the root thread (the paper), 2 = children too, 0 = never.</summary>
    public int Depth { get; init; } = 1;

    /// <summary>Most children per spawn; with more candidates the best (by heuristic) are spawned and the rest go to the open set.</summary>
    public int MaxChildrenPerSpawn { get; init; } = 10;

    public ChildrenFailPolicy OnChildrenFail { get; init; } = ChildrenFailPolicy.Continue;

    /// <summary>
    /// Null: every thread follows <see cref="OnChildrenFail"/>. Set: threads below the root follow this one instead (a
    /// nested child with End spawns on its first batch and returns when those children fail, as a flat child returns
    /// after its dives; with Continue it takes its start node's successors batch after batch first).
    /// </summary>
    public ChildrenFailPolicy? ChildOnChildrenFail { get; init; }

    /// <summary>The policy a thread at <paramref name="level"/> (0: the root) follows after a join in which every child failed.</summary>
    public ChildrenFailPolicy OnChildrenFailAt(int level) => level > 0 ? ChildOnChildrenFail ?? OnChildrenFail : OnChildrenFail;

    public HeuristicKind Heuristic { get; init; } = HeuristicKind.Mult;

    /// <summary>
    /// For writing demonstrations only (0 = never, the paper): with this probability per expansion the successors
    /// from which the target can still be reached (ExhaustiveSolver) are put before the others, keeping the
    /// heuristic order within each part, before the beam keeps the first ones. Such traces explore right choices
    /// more often than the heuristic alone, so a model trained on them learns which successors pay off (hindsight);
    /// with probability 1 - p an expansion is the heuristic's, so failures and recoveries stay in the data. A
    /// no-learning policy must not use it: it reads the answer.
    /// </summary>
    public double HindsightProbability { get; init; }

    /// <summary>
    /// A learned ranking (null = the heuristic, the paper): at every expansion the successors are ordered by this
    /// scorer's rating, highest first (the successors of a two-number node, verdicts, keep the heuristic's order), and
    /// their keys follow that order (ties: the heuristic's), so the beam, the open set and the spawn order all use it. A tree with
    /// a scorer is a learned policy, not a no-learning one.
    /// </summary>
    public ISuccessorScorer? Scorer { get; init; }

    /// <summary>
    /// False (the paper): a thread ranks a node's successors by the heuristic or Scorer alone. True: each thread keeps
    /// what it knows was searched (KnownStates: the nodes it generated, its parent's knowledge when it was spawned, its
    /// children's when they joined) and puts the successors it knows, and repeats of one state within an expansion,
    /// after the new ones (a stable partition; their keys move after every new state's, so the open set and the spawn
    /// order agree). A memory, no learning: the no-learning counterpart of the runtime's `--value-revisit`.
    /// </summary>
    public bool NewStatesFirst { get; init; }

    public static AprOptions Paper { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field and its value; returns this.</summary>
    public AprOptions Validate()
    {
        if (BeamMin < 1 || BeamMin > SearchLimits.MaxBeam)
            throw new ArgumentException($"AprOptions.BeamMin must be in 1..{SearchLimits.MaxBeam}, got {BeamMin}");
        if (BeamMax < BeamMin || BeamMax > SearchLimits.MaxBeam)
            throw new ArgumentException($"AprOptions.BeamMax must be in BeamMin ({BeamMin})..{SearchLimits.MaxBeam}, got {BeamMax}");
        if (ChildBeamMin is int cmin && (cmin < 1 || cmin > SearchLimits.MaxBeam))
            throw new ArgumentException($"AprOptions.ChildBeamMin must be in 1..{SearchLimits.MaxBeam}, got {cmin}");
        var childLow = ChildBeamMin ?? BeamMax;
        if (ChildBeamMax < childLow || ChildBeamMax > SearchLimits.MaxBeam)
            throw new ArgumentException($"AprOptions.ChildBeamMax must be in {(ChildBeamMin is null ? "BeamMax" : "ChildBeamMin")} ({childLow})..{SearchLimits.MaxBeam}, got {ChildBeamMax}");
        if (ChildStartBeam is int cs && (cs < 1 || cs > SearchLimits.MaxBeam))
            throw new ArgumentException($"AprOptions.ChildStartBeam must be in 1..{SearchLimits.MaxBeam}, got {cs}");
        if (!(HindsightProbability >= 0 && HindsightProbability <= 1))
            throw new ArgumentException($"AprOptions.HindsightProbability must be in [0, 1], got {HindsightProbability}");
        if (!(SpawnProbability >= 0 && SpawnProbability <= 1))
            throw new ArgumentException($"AprOptions.SpawnProbability must be in [0, 1], got {SpawnProbability}");
        if (Depth < 0 || Depth > MaxDepth)
            throw new ArgumentException($"AprOptions.Depth must be in 0..{MaxDepth}, got {Depth}");
        if (MaxChildrenPerSpawn < 1 || MaxChildrenPerSpawn > SearchLimits.MaxBeam)
            throw new ArgumentException($"AprOptions.MaxChildrenPerSpawn must be in 1..{SearchLimits.MaxBeam}, got {MaxChildrenPerSpawn}");
        if (!Enum.IsDefined(OnChildrenFail))
            throw new ArgumentException($"AprOptions.OnChildrenFail is not a known policy: {OnChildrenFail}");
        if (ChildOnChildrenFail is { } childPolicy && !Enum.IsDefined(childPolicy))
            throw new ArgumentException($"AprOptions.ChildOnChildrenFail is not a known policy: {childPolicy}");
        if (!Enum.IsDefined(Heuristic))
            throw new ArgumentException($"AprOptions.Heuristic is not a known heuristic: {Heuristic}");
        return this;
    }
}
