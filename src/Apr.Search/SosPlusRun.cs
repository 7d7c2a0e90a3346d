// SosPlusRun: the SoS+ search of one problem, structured exactly like the reference's _search, with
// reusable buffers (one instance per worker thread; not thread-safe).
//
// Per round: pop `beam` nodes (best key first, ties in insertion order); for each, write its Current
// State, generate all successors, keep the best `beam` (stable by key), shuffle them, write Exploring
// lines and verdicts / Generated Node lines, stop at the first goal with the recap from the root.
// Then, with probability p, dive (Start Sub Search ... Exit Sub Search, nested) into each kept
// non-terminal child in key order, else push them to the open set. Moving-to lines as the reference:
// to the next popped node, and after a round to the top of the open set. The coin for the dive is
// drawn after every expansion, as the reference does, even when there is nothing to dive into.
using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Search;

internal sealed class SosPlusRun
{
    private readonly NodeArena _arena = new();
    private readonly List<LevelScratch> _levels = [];
    private readonly StringBuilder _sb = new(8192);
    private HeuristicTable _h = null!;
    private Rng _rng;
    private long _target;
    private int _beam;
    private double _p;
    private int _promptLength;   // the first line (the root's Current State) is the prompt

    public (string Prompt, string Completion, int Goal) Run(CountdownProblem problem, HeuristicTable h, int beam, double p, ref Rng rng)
    {
        _h = h;
        _rng = rng;
        _target = problem.Target;
        _beam = beam;
        _p = p;
        Span<long> nums = stackalloc long[problem.Nums.Count];
        for (var i = 0; i < nums.Length; i++) nums[i] = problem.Nums[i];
        _arena.Reset(nums, h.Key(nums));
        _sb.Clear();
        _promptLength = -1;
        var goal = Search(0, 0);
        rng = _rng;
        return (_sb.ToString(0, _promptLength), _sb.ToString(_promptLength, _sb.Length - _promptLength), goal);
    }

    public Operation[] Answer(int goal) => _arena.OperationsOf(goal);

    private LevelScratch Level(int level)
    {
        while (_levels.Count <= level) _levels.Add(new LevelScratch());
        return _levels[level];
    }

    private int Search(int start, int level)
    {
        var s = Level(level);
        var open = s.Open;
        var sb = _sb;
        var a = _arena;
        open.Clear();
        open.Push(a.Key[start], start);
        Span<long> next = stackalloc long[NodeArena.Stride];
        while (open.Count > 0)
        {
            var m = Math.Min(_beam, open.Count);
            for (var c = 0; c < m; c++) s.Current[c] = open.Pop();
            for (var idx = 0; idx < m; idx++)
            {
                var node = s.Current[idx];
                TraceText.CurrentState(sb, _target, a, node);
                if (_promptLength < 0) _promptLength = sb.Length;
                s.Generate(a, node, _h);
                var kept = Math.Min(_beam, s.AllCount);
                var perm = s.Shuffled(0, kept, ref _rng);
                var k = 0;
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
                        if (nums[0] == _target)
                        {
                            var goal = a.Add(node, k, cand.Op, cand.Key, nums);
                            Recap.Append(sb, _target, a.PathFrom(0, goal));
                            return goal;
                        }
                        continue;
                    }
                    var child = a.Add(node, k++, cand.Op, cand.Key, nums);
                    TraceText.GeneratedNode(sb, _target, a, child);
                    s.Explore[s.ExploreCount++] = child;
                }
                s.SortExplore(a);
                var dive = _rng.NextDouble() < _p;
                for (var e = 0; e < s.ExploreCount; e++)
                {
                    var child = s.Explore[e];
                    if (!dive)
                    {
                        open.Push(a.Key[child], child);
                        continue;
                    }
                    TraceText.StartSubSearch(sb, level + 1, a, child);
                    var found = Search(child, level + 1);
                    TraceFormat.ExitSubSearch(sb, level + 1);
                    if (found >= 0) return found;
                    TraceFormat.SubSearchFailed(sb);
                }
                if (idx < m - 1) TraceText.MovingTo(sb, a, s.Current[idx + 1]);
            }
            if (open.Count > 0) TraceText.MovingTo(sb, a, open.Peek());
        }
        TraceFormat.NoSolution(sb);
        return -1;
    }
}
