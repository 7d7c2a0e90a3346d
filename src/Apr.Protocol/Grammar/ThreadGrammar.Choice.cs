// ThreadGrammar, part 2: the lines a thread chooses (exploring, moving, diving, spawning, giving up)
// and the spawn block. See ThreadGrammar.cs for the rules and the permissive points.
using Apr.Countdown;

namespace Apr.Protocol;

public sealed partial class ThreadGrammar
{
    private void AdvanceChoice(TraceLine parsed, string line)
    {
        var afterJoin = _afterJoin;
        switch (parsed)
        {
            case TraceLine.Exploring e:
                Explore(e, line);
                return;
            case TraceLine.MovingTo m:
            {
                var node = Eligible(m.NodeId, line);
                node.Status = NodeStatus.Explored;
                Scope.Enter(node);
                ForceState(node);
                return;
            }
            case TraceLine.StartSubSearch d:
            {
                if (_settings.Mode != SearchMethod.SosPlus)
                    throw new ProtocolException(ProtocolErrorKind.MalformedLine, $"line '{Trim(line)}' is a SoS+ dive; APR threads spawn instead");
                var level = Scope.Level + 1;
                if (d.Level != level)
                    throw new ProtocolException(ProtocolErrorKind.WrongLevel, $"line '{Trim(line)}' names level {d.Level}; a dive from level {Scope.Level} goes to level {level}");
                if (level > _settings.MaxDepth)
                    throw new ProtocolException(ProtocolErrorKind.WrongLevel, $"line '{Trim(line)}' dives to level {level}, beyond the maximum depth {_settings.MaxDepth}");
                var node = Eligible(d.NodeId, line);
                node.Status = NodeStatus.Dived;
                var scope = new GrammarScope(_scopeSerial++, level, node);
                _scopes.Add(scope);
                ForceState(node);
                return;
            }
            case TraceLine.NoSolutionFound:
                if (Scope.Level > 0)
                {
                    var level = Scope.Level;
                    Force(Text(sb => TraceFormat.ExitSubSearch(sb, level)), ProtocolErrorKind.BadState, "the exit line");
                    Force(Text(sb => TraceFormat.SubSearchFailed(sb)), ProtocolErrorKind.BadState, "the failed-dive line");
                    _scopes.RemoveAt(_scopes.Count - 1);
                }
                else _phase = Phase.Finished;
                return;
            case TraceLine.CallingSubSearches:
                if (_settings.Mode != SearchMethod.Apr)
                    throw new ProtocolException(ProtocolErrorKind.MalformedLine, $"line '{Trim(line)}' is an APR spawn; SoS+ threads dive instead");
                if (_settings.Level >= _settings.MaxDepth)
                    throw new ProtocolException(ProtocolErrorKind.WrongLevel, $"a thread at level {_settings.Level} may not spawn (maximum depth {_settings.MaxDepth})");
                if (_settings.MaxChildren <= 0)
                    throw new ProtocolException(ProtocolErrorKind.TooManyChildren, $"spawning is disabled (maximum {_settings.MaxChildren} children)");
                if (!Scope.Generated.Exists(n => n.Status == NodeStatus.Open))
                    throw new ProtocolException(ProtocolErrorKind.EmptySpawnBlock, "'<Calling Sub Searches>' with no generated, unexplored node to name");
                _named.Clear();
                _phase = Phase.SpawnBlock;
                return;
            case TraceLine.SubSearches:
                throw new ProtocolException(ProtocolErrorKind.ForbiddenJoinBlock, "the model wrote '<Sub Searches>': join blocks are inserted by the runtime only");
            case TraceLine.CurrentState s when afterJoin:
            {
                foreach (var node in Scope.Generated)
                {
                    if (node.Status != NodeStatus.Open || !s.Nums.AsSpan().SequenceEqual(node.Nums) || !s.Operations.AsSpan().SequenceEqual(node.Ops) || s.Target != _target)
                        continue;
                    node.Status = NodeStatus.Explored;
                    node.Unrevealed = true;
                    Scope.Enter(node);
                    return;
                }
                throw new ProtocolException(ProtocolErrorKind.BadState, $"line '{Trim(line)}' is not the state of any generated, unexplored node");
            }
            default:
                throw new ProtocolException(ProtocolErrorKind.BadState, $"line '{Trim(line)}' is not allowed here; expected an Exploring, Moving, {(_settings.Mode == SearchMethod.Apr ? "spawn" : "dive")} or 'No solution found.' line");
        }
    }

    private void Explore(TraceLine.Exploring e, string line)
    {
        var scope = Scope;
        var current = scope.Current;
        var remaining = scope.Remaining;
        var at = -1;
        for (var i = 0; i < remaining.Count; i++)
        {
            if (remaining[i].Operation == e.Operation && remaining[i].Numbers.AsSpan().SequenceEqual(e.Resulting)) { at = i; break; }
        }
        if (at < 0) throw ExploreError(e, line, current);
        remaining.RemoveAt(at);
        var nums = e.Resulting;
        if (nums.Length == 1)
        {
            if (nums[0] == _target)
            {
                var path = PathTo(current);
                path.Add(new SearchNode(NodeIds.Child(current.Id, current.NextChild), nums, [.. current.Ops, e.Operation]));
                ForceGoal(path);
            }
            else Force(Text(sb => TraceFormat.Verdict(sb, nums[0], _target)), ProtocolErrorKind.BadArithmetic, "the verdict");
            return;
        }
        var id = NodeIds.Child(current.Id, current.NextChild++);
        var node = new GrammarNode(id, nums, [.. current.Ops, e.Operation], current, scope.Serial);
        if (!_nodes.TryAdd(id, node))
            throw new ProtocolException(ProtocolErrorKind.BadState, $"node #{id} would be generated twice");
        scope.Generated.Add(node);
        _revealPending = current.Unrevealed && OpenTwins(current).Count > 0;
        if (!_revealPending) current.Unrevealed = false;
        Force(Text(sb => TraceFormat.GeneratedNode(sb, id, _target, nums, e.Operation)), ProtocolErrorKind.BadState, "the generated node line");
    }

    private ProtocolException ExploreError(TraceLine.Exploring e, string line, GrammarNode current)
    {
        var op = e.Operation;
        var l = Trim(line);
        if (!op.IsCorrect)
        {
            var why = Arithmetic.TryApply(op.Left, op.Symbol, op.Right, out var r) ? $"{op.Left}{op.Symbol}{op.Right} is {r}, not {op.Result}" : $"{op.Left}{op.Symbol}{op.Right} is not a legal operation";
            return new ProtocolException(ProtocolErrorKind.BadArithmetic, $"line '{l}': {why}");
        }
        var all = Successor.All(current.Nums);
        var sameOp = all.FindAll(s => s.Operation == op);
        if (sameOp.Count == 0)
            return new ProtocolException(ProtocolErrorKind.BadState, $"line '{l}': operation {op} cannot be applied to the numbers [{string.Join(", ", current.Nums)}] of node #{current.Id}");
        if (!sameOp.Exists(s => s.Numbers.AsSpan().SequenceEqual(e.Resulting)))
            return new ProtocolException(ProtocolErrorKind.BadState, $"line '{l}': resulting numbers [{string.Join(", ", e.Resulting)}] are wrong; {op} on [{string.Join(", ", current.Nums)}] gives [{string.Join(", ", sameOp[0].Numbers)}]");
        return new ProtocolException(ProtocolErrorKind.NodeAlreadyExplored, $"line '{l}': operation {op} was already explored at node #{current.Id}");
    }

    /// <summary>The open node <paramref name="id"/> of the current (sub)search, or a descriptive exception.</summary>
    private GrammarNode Eligible(string id, string line)
    {
        if (!_nodes.TryGetValue(id, out var node))
            throw new ProtocolException(ProtocolErrorKind.UnknownNode, $"line '{Trim(line)}' names node #{id}, which was never generated");
        if (node.Scope == Scope.Serial) FreeTwin(node);
        if (node.Status == NodeStatus.Spawned)
            throw new ProtocolException(ProtocolErrorKind.NodeAlreadyExplored, $"line '{Trim(line)}' names node #{id}, which was already given to a child");
        if (node.Status == NodeStatus.Dived)
            throw new ProtocolException(ProtocolErrorKind.NodeAlreadyExplored, $"line '{Trim(line)}' names node #{id}, which was already searched in a sub search");
        if (node.Status == NodeStatus.Explored)
            throw new ProtocolException(ProtocolErrorKind.NodeAlreadyExplored, $"line '{Trim(line)}' names node #{id}, which was already explored");
        if (node.Scope != Scope.Serial)
            throw new ProtocolException(ProtocolErrorKind.UnknownNode, $"line '{Trim(line)}' names node #{id}, which was not generated in the current {(Scope.Level > 0 ? "sub search" : "search")}");
        return node;
    }

    private void AdvanceSpawnBlock(TraceLine parsed, string line)
    {
        switch (parsed)
        {
            case TraceLine.SpawnChild s:
            {
                if (s.Index != _named.Count)
                    throw new ProtocolException(ProtocolErrorKind.WrongChildIndex, $"line '{Trim(line)}' has child index {s.Index}; expected {_named.Count}");
                if (s.Level != ChildLevel)
                    throw new ProtocolException(ProtocolErrorKind.WrongLevel, $"line '{Trim(line)}' has level {s.Level}; children of a level-{_settings.Level} thread are at level {ChildLevel}");
                if (_named.Count >= _settings.MaxChildren)
                    throw new ProtocolException(ProtocolErrorKind.TooManyChildren, $"line '{Trim(line)}' names child {_named.Count + 1}, beyond the maximum {_settings.MaxChildren} per spawn");
                if (_named.Exists(n => n.Id == s.NodeId))
                    throw new ProtocolException(ProtocolErrorKind.DuplicateChild, $"line '{Trim(line)}' names node #{s.NodeId} a second time in this spawn block");
                var node = Eligible(s.NodeId, line);
                node.Status = NodeStatus.Spawned;
                _named.Add(node);
                return;
            }
            case TraceLine.EndCallingSubSearches:
                if (_named.Count == 0)
                    throw new ProtocolException(ProtocolErrorKind.EmptySpawnBlock, "'<End Calling Sub Searches>' right after '<Calling Sub Searches>': a spawn names at least one child");
                _phase = Phase.AwaitJoin;
                return;
            case TraceLine.SubSearches:
                throw new ProtocolException(ProtocolErrorKind.ForbiddenJoinBlock, "the model wrote '<Sub Searches>': join blocks are inserted by the runtime only");
            default:
                throw new ProtocolException(ProtocolErrorKind.UnclosedSpawnBlock, $"line '{Trim(line)}' inside a spawn block; expected '<Start Sub Search {_named.Count} at level {ChildLevel}> Moving to Node #...' or '<End Calling Sub Searches>'");
        }
    }

    private static string Trim(string line) => line.TrimEnd('\n');
}
