// AprRun: the APR search of one problem, structured like the reference's _parallel_search, with
// reusable buffers (one instance per worker thread; not thread-safe).
//
// A thread starts at a node (the root thread at "0"): its first call's prompt is SpawnJoin.ChildPrompt
// (Moving to Node + Current State), and it runs the beam search of SosPlusRun without dives. After
// expanding a node with more than one kept non-terminal successor, a thread at a level that may spawn
// (level < Depth) spawns with probability p: one child per kept non-terminal successor in key order
// (at most MaxChildrenPerSpawn; the rest go to the open set). The call ends with the spawn block; the
// children run one after another (each its own thread, with the child beam, and ChildStartBeam successors kept at
// its start node when that is set); the parent resumes with
// the join prompt (built in place with SpawnJoin.AppendJoinBlock; equal to SpawnJoin.JoinPrompt, which
// the tests check against a slow solver that calls JoinPrompt). A solved child: the parent writes "T,T equal: Goal Reached" and the recap from
// its own start node through the child's path. All failed: see ChildrenFailPolicy.
// Departure from the reference code, in both policies: the reference reuses its loop variable `idx`
// for the children, so after a failed join its "Moving to Node" line is often missing or names a
// different node than the Current State line that follows (an incoherent trace that our validator
// rejects). We write the correct next node; otherwise End mode follows the reference's control flow.
using System.Text;
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search;

internal sealed class AprRun
{
    private readonly NodeArena _arena = new();
    private readonly List<LevelScratch> _levels = [];
    private List<ThreadCall> _calls = [];
    private HeuristicTable _h = null!;
    private AprOptions _o = null!;
    private Rng _rng;
    private long _target;
    private int _childBeam;

    public int Spawns { get; private set; }
    public int Children { get; private set; }

    public (List<ThreadCall> Calls, int Goal) Run(CountdownProblem problem, HeuristicTable h, AprOptions options,
        int beam, int childBeam, ref Rng rng)
    {
        _h = h;
        _o = options;
        _rng = rng;
        _target = problem.Target;
        _childBeam = childBeam;
        _calls = new List<ThreadCall>(8);
        Spawns = 0;
        Children = 0;
        Span<long> nums = stackalloc long[problem.Nums.Count];
        for (var i = 0; i < nums.Length; i++) nums[i] = problem.Nums[i];
        _arena.Reset(nums, h.Key(nums));
        var goal = RunThread("0", null, 0, 0, beam, beam, options.NewStatesFirst ? new KnownStates() : null);
        rng = _rng;
        return (_calls, goal);
    }

    public Operation[] Answer(int goal) => _arena.OperationsOf(goal);

    private LevelScratch Level(int level)
    {
        while (_levels.Count <= level) _levels.Add(new LevelScratch());
        return _levels[level];
    }

    private int RunThread(string thread, string? parent, int start, int level, int beam, int startBeam, KnownStates? known)
    {
        var s = Level(level);
        var sb = s.Text;
        var a = _arena;
        var open = s.Open;
        sb.Clear();
        var prompt = SpawnJoin.ChildPrompt(_target, a.ToSearchNode(start));
        sb.Append(prompt);
        var promptLength = prompt.Length;
        string? promptText = prompt;   // the first call's prompt is the ChildPrompt string itself
        var childCount = 0;
        var first = true;
        open.Clear();
        open.Push(a.Key[start], start);
        known?.Add(a.NumsOf(start));
        Span<long> next = stackalloc long[NodeArena.Stride];
        while (open.Count > 0)
        {
            var m = Math.Min(beam, open.Count);
            for (var c = 0; c < m; c++) s.Current[c] = open.Pop();
            for (var idx = 0; idx < m; idx++)
            {
                var node = s.Current[idx];
                if (!first) TraceText.CurrentState(sb, _target, a, node);
                first = false;
                s.Generate(a, node, _h);
                if (_o.Scorer is { } scorer) s.ScoredFirst(a.NumsOf(node), _target, scorer);
                if (known is not null) s.KnownLast(a.NumsOf(node), known);
                if (_o.HindsightProbability > 0 && _rng.NextDouble() < _o.HindsightProbability) s.ReachableFirst(a.NumsOf(node), _target);
                var offset = 0;
                var k = 0;
                var continuing = false;   // Continue policy: a join at this node failed; expand it to the end
                while (true)
                {
                    // 1. The next batch: the best `beam` (`startBeam` at the thread's start node) successors not yet explored, shuffled.
                    var kept = Math.Min(node == start ? startBeam : beam, s.AllCount - offset);
                    var perm = s.Shuffled(offset, kept, ref _rng);
                    if (known is not null) LevelScratch.KnownAfterNew(s.All, s.Perm.AsSpan(0, kept));
                    offset += kept;
                    // 2. Exploring lines, verdicts, Generated Node lines.
                    s.ExploreCount = 0;
                    for (var b = 0; b < kept; b++)
                    {
                        ref readonly var cand = ref s.All[perm[b]];
                        var len = LevelScratch.Apply(a.NumsOf(node), cand, next);
                        var nums = next[..len];
                        TraceText.Exploring(sb, cand.Op, nums);
                        if (len == 1)
                        {
                            TraceText.Verdict(sb, nums[0], _target);
                            if (nums[0] != _target) continue;
                            var goal = a.Add(node, k, cand.Op, cand.Key, nums);
                            Recap.Append(sb, _target, a.PathFrom(start, goal));
                            Emit(thread, parent, sb, promptLength, promptText);
                            return goal;
                        }
                        var child = a.Add(node, k++, cand.Op, cand.Key, nums);
                        known?.Add(nums);
                        TraceText.GeneratedNode(sb, _target, a, child);
                        s.Explore[s.ExploreCount++] = child;
                    }
                    s.SortExplore(a);
                    // 3. Spawn, or push the kept nodes to the open set.
                    var spawn = level < _o.Depth && s.ExploreCount > 1 && _rng.NextDouble() < _o.SpawnProbability;
                    if (!spawn)
                    {
                        for (var e = 0; e < s.ExploreCount; e++) open.Push(a.Key[s.Explore[e]], s.Explore[e]);
                        if (continuing && offset < s.AllCount) continue;
                        break;
                    }
                    var spawned = Math.Min(s.ExploreCount, _o.MaxChildrenPerSpawn);
                    for (var e = spawned; e < s.ExploreCount; e++) open.Push(a.Key[s.Explore[e]], s.Explore[e]);
                    var found = Spawn(thread, parent, level, s, spawned, ref childCount, ref promptLength, ref promptText, known);
                    if (found >= 0)
                    {
                        TraceText.Verdict(sb, a.NumsOf(found)[0], _target);
                        Recap.Append(sb, _target, a.PathFrom(start, found));
                        Emit(thread, parent, sb, promptLength, promptText);
                        return found;
                    }
                    if (_o.OnChildrenFailAt(level) == ChildrenFailPolicy.End || offset >= s.AllCount) break;
                    continuing = true;
                }
                if (idx < m - 1) TraceText.MovingTo(sb, a, s.Current[idx + 1]);
            }
            if (open.Count > 0) TraceText.MovingTo(sb, a, open.Peek());
        }
        TraceFormat.NoSolution(sb);
        Emit(thread, parent, sb, promptLength, promptText);
        return -1;
    }

    // Ends the current call with the spawn block, runs the children, and resumes this thread's text
    // with the join prompt. Returns the goal of the first solved child (spawn order), or -1.
    // The join prompt is built in place: the text is cut where the spawn block starts and
    // SpawnJoin.AppendJoinBlock appends the join block, which is what SpawnJoin.JoinPrompt returns for
    // the same text (tests check the two agree); this saves three copies of the parent's text.
    private int Spawn(string thread, string? parent, int level, LevelScratch s, int spawned, ref int childCount,
        ref int promptLength, ref string? promptText, KnownStates? known)
    {
        var sb = s.Text;
        var a = _arena;
        var ids = new string[spawned];
        var starts = new int[spawned];
        for (var c = 0; c < spawned; c++)
        {
            starts[c] = s.Explore[c];
            ids[c] = a.IdOf(starts[c]);
        }
        var cut = sb.Length;
        SpawnJoin.AppendSpawnBlock(sb, level + 1, ids);
        Emit(thread, parent, sb, promptLength, promptText);
        Spawns++;
        var results = new ChildResult[spawned];
        var firstGoal = -1;
        var learned = known is null ? null : new KnownStates[spawned]; // each child starts with a copy of what the parent knows now
        for (var c = 0; c < spawned; c++)
        {
            var childThread = TraceTree.ChildThread(thread, childCount++);
            Children++;
            var childKnown = learned is null ? null : learned[c] = known!.Copy();
            var goal = RunThread(childThread, thread, starts[c], level + 1, _childBeam, _o.ChildStartBeam ?? _childBeam, childKnown);
            if (goal >= 0)
            {
                results[c] = new ChildResult(c, ids[c], true, Recap.Write(_target, a.PathFrom(starts[c], goal)));
                if (firstGoal < 0) firstGoal = goal;
            }
            else
            {
                results[c] = ChildResult.Failed(c, ids[c]);
            }
        }
        foreach (var childKnown in learned ?? []) known!.UnionWith(childKnown); // the parent resumes knowing what they knew
        sb.Length = cut;
        SpawnJoin.AppendJoinBlock(sb, level + 1, results);
        promptLength = sb.Length;
        promptText = null;
        return firstGoal;
    }

    private void Emit(string thread, string? parent, StringBuilder sb, int promptLength, string? promptText) =>
        _calls.Add(new ThreadCall(thread, parent, promptText ?? sb.ToString(0, promptLength), sb.ToString(promptLength, sb.Length - promptLength)));
}
