// SlowApr: a slow, obviously correct APR solver written straight from the reference's
// _parallel_search (plus the Continue policy, nesting depth and children cap) with the shared
// builders: TraceFormat, Recap, SpawnJoin.ChildPrompt / AppendSpawnBlock / JoinPrompt (the fast
// solver builds the join in place; this one calls JoinPrompt on the whole parent text).
using System.Text;
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search.Tests;

internal sealed class SlowApr(AprOptions o)
{
    private readonly List<ThreadCall> _calls = [];
    private Rng _rng;
    private long _target;
    private int _childBeam;

    public int Spawns { get; private set; }
    public int Children { get; private set; }

    public (List<ThreadCall> Calls, bool Solved) Solve(CountdownProblem problem, Rng rng)
    {
        _rng = rng;
        _target = problem.Target;
        var beam = _rng.NextInt(o.BeamMin, o.BeamMax);
        _childBeam = _rng.NextInt(beam, o.ChildBeamMax);
        var root = new SlowNode(SearchNode.Root(problem.Nums), Heuristics.Key(o.Heuristic, [.. problem.Nums], _target), null);
        var goal = Thread("0", null, root, 0, beam);
        return (_calls, goal is not null);
    }

    private SlowNode? Thread(string tid, string? parent, SlowNode start, int level, int beam)
    {
        var prompt = SpawnJoin.ChildPrompt(_target, start.S);
        var text = new StringBuilder(prompt);
        var promptLength = prompt.Length;
        var childCount = 0;
        var first = true;
        var open = new SlowOpenSet();
        open.Push(start);
        while (open.Count > 0)
        {
            var current = new List<SlowNode>();
            var m = Math.Min(beam, open.Count);
            for (var c = 0; c < m; c++) current.Add(open.Pop());
            for (var idx = 0; idx < current.Count; idx++)
            {
                var node = current[idx];
                if (!first) TraceFormat.CurrentState(text, _target, node.S.Nums, node.S.Operations);
                first = false;
                var all = node.SortedSuccessors(_target, o.Heuristic);
                var offset = 0;
                var k = 0;
                var continuing = false;
                while (true)
                {
                    var batch = all.Skip(offset).Take(beam).ToArray();
                    offset += batch.Length;
                    _rng.Shuffle(batch.AsSpan());
                    var explore = new List<SlowNode>();
                    foreach (var (s, key) in batch)
                    {
                        TraceFormat.Exploring(text, s.Operation, s.Numbers);
                        if (s.Numbers.Length == 1)
                        {
                            TraceFormat.Verdict(text, s.Numbers[0], _target);
                            if (s.Numbers[0] != _target) continue;
                            var goal = node.Child(NodeIds.Child(node.Id, k), s, key);
                            Recap.Append(text, _target, goal.PathFrom(start));
                            Emit(tid, parent, text.ToString(), promptLength);
                            return goal;
                        }
                        var child = node.Child(NodeIds.Child(node.Id, k++), s, key);
                        TraceFormat.GeneratedNode(text, child.Id, _target, child.S.Nums, s.Operation);
                        explore.Add(child);
                    }
                    explore = [.. explore.OrderBy(n => n.Key)];
                    var spawn = level < o.Depth && explore.Count > 1 && _rng.NextDouble() < o.SpawnProbability;
                    if (!spawn)
                    {
                        explore.ForEach(open.Push);
                        if (continuing && offset < all.Count) continue;
                        break;
                    }
                    var spawned = explore.Take(o.MaxChildrenPerSpawn).ToList();
                    explore.Skip(o.MaxChildrenPerSpawn).ToList().ForEach(open.Push);
                    SpawnJoin.AppendSpawnBlock(text, level + 1, [.. spawned.Select(n => n.Id)]);
                    var callText = text.ToString();
                    Emit(tid, parent, callText, promptLength);
                    Spawns++;
                    var results = new List<ChildResult>();
                    SlowNode? firstGoal = null;
                    for (var c = 0; c < spawned.Count; c++)
                    {
                        Children++;
                        var g = Thread(TraceTree.ChildThread(tid, childCount++), tid, spawned[c], level + 1, _childBeam);
                        results.Add(g is null
                            ? ChildResult.Failed(c, spawned[c].Id)
                            : new ChildResult(c, spawned[c].Id, true, Recap.Write(_target, g.PathFrom(spawned[c]))));
                        firstGoal ??= g;
                    }
                    var join = SpawnJoin.JoinPrompt(callText, level + 1, results);
                    text = new StringBuilder(join);
                    promptLength = join.Length;
                    if (firstGoal is not null)
                    {
                        TraceFormat.Verdict(text, firstGoal.S.Nums[0], _target);
                        Recap.Append(text, _target, firstGoal.PathFrom(start));
                        Emit(tid, parent, text.ToString(), promptLength);
                        return firstGoal;
                    }
                    if (o.OnChildrenFail == ChildrenFailPolicy.End || offset >= all.Count) break;
                    continuing = true;
                }
                if (idx < current.Count - 1) TraceFormat.MovingTo(text, current[idx + 1].Id);
            }
            if (open.Count > 0) TraceFormat.MovingTo(text, open.Peek().Id);
        }
        TraceFormat.NoSolution(text);
        Emit(tid, parent, text.ToString(), promptLength);
        return null;
    }

    private void Emit(string tid, string? parent, string text, int promptLength) =>
        _calls.Add(new ThreadCall(tid, parent, text[..promptLength], text[promptLength..]));
}
