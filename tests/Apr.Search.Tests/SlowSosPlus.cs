// SlowSosPlus: a slow, obviously correct SoS+ solver written straight from the reference's _search
// with the shared canonical writers (TraceFormat, Recap), immutable nodes and LINQ. The fast solver
// must produce byte-identical traces from the same Rng.
using System.Text;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Search.Tests;

internal sealed class SlowSosPlus(SosPlusOptions options)
{
    private readonly StringBuilder _sb = new();
    private Rng _rng;
    private long _target;
    private int _beam;

    public (string Text, bool Solved) Solve(CountdownProblem problem, Rng rng)
    {
        _rng = rng;
        _target = problem.Target;
        _beam = _rng.NextInt(options.BeamMin, options.BeamMax);
        var root = new SlowNode(SearchNode.Root(problem.Nums), Heuristics.Key(options.Heuristic, [.. problem.Nums], _target), null);
        var goal = Search(root, root, 0);
        return (_sb.ToString(), goal is not null);
    }

    private SlowNode? Search(SlowNode root, SlowNode start, int level)
    {
        var open = new SlowOpenSet();
        open.Push(start);
        while (open.Count > 0)
        {
            var current = new List<SlowNode>();
            var m = Math.Min(_beam, open.Count);
            for (var c = 0; c < m; c++) current.Add(open.Pop());
            for (var idx = 0; idx < current.Count; idx++)
            {
                var node = current[idx];
                TraceFormat.CurrentState(_sb, _target, node.S.Nums, node.S.Operations);
                var kept = node.SortedSuccessors(_target, options.Heuristic).Take(_beam).ToArray();
                _rng.Shuffle(kept.AsSpan());
                var explore = new List<SlowNode>();
                var k = 0;
                foreach (var (s, key) in kept)
                {
                    TraceFormat.Exploring(_sb, s.Operation, s.Numbers);
                    if (s.Numbers.Length == 1)
                    {
                        TraceFormat.Verdict(_sb, s.Numbers[0], _target);
                        if (s.Numbers[0] != _target) continue;
                        var goal = node.Child(NodeIds.Child(node.Id, k), s, key);
                        Recap.Append(_sb, _target, goal.PathFrom(root));
                        return goal;
                    }
                    var child = node.Child(NodeIds.Child(node.Id, k++), s, key);
                    TraceFormat.GeneratedNode(_sb, child.Id, _target, child.S.Nums, s.Operation);
                    explore.Add(child);
                }
                explore = [.. explore.OrderBy(n => n.Key)];
                var dive = _rng.NextDouble() < options.DiveProbability;
                foreach (var child in explore)
                {
                    if (!dive) { open.Push(child); continue; }
                    TraceFormat.StartSubSearch(_sb, level + 1, child.Id);
                    var found = Search(root, child, level + 1);
                    TraceFormat.ExitSubSearch(_sb, level + 1);
                    if (found is not null) return found;
                    TraceFormat.SubSearchFailed(_sb);
                }
                if (idx < current.Count - 1) TraceFormat.MovingTo(_sb, current[idx + 1].Id);
            }
            if (open.Count > 0) TraceFormat.MovingTo(_sb, open.Peek().Id);
        }
        TraceFormat.NoSolution(_sb);
        return null;
    }
}
