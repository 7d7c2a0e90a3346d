// ThreadGrammar, part 3: the runtime-inserted join block and the options at each point.
using Apr.Countdown;

namespace Apr.Protocol;

public sealed partial class ThreadGrammar
{
    /// <summary>
    /// Checks a join block (lines including its first and last line) and continues after it. When
    /// <paramref name="fromPrompt"/>, the spawn block was cut from the text (a resumed call's prompt) and
    /// the children are named by the join lines; otherwise they must be those of the spawn block.
    /// </summary>
    private void Join(List<string> lines, bool fromPrompt)
    {
        if (_settings.Mode != SearchMethod.Apr)
            throw new ProtocolException(ProtocolErrorKind.ForbiddenJoinBlock, "a SoS+ thread has no join blocks");
        if (lines.Count < 2 || lines[0] != TraceFormat.SubSearches + "\n")
            throw new ProtocolException(ProtocolErrorKind.BadState, $"a join block starts with '{TraceFormat.SubSearches}', not '{Trim(lines[0])}'");
        if (fromPrompt)
        {
            if (_settings.Level >= _settings.MaxDepth)
                throw new ProtocolException(ProtocolErrorKind.WrongLevel, $"a thread at level {_settings.Level} may not have children (maximum depth {_settings.MaxDepth})");
            _named.Clear();
        }
        var results = new List<(GrammarNode Node, List<SearchNode>? Path)>();
        var at = 1;
        while (at < lines.Count && lines[at] != TraceFormat.EndSubSearches + "\n")
        {
            var line = lines[at++];
            if (TraceLineParser.Parse(line) is not TraceLine.JoinChild j)
                throw new ProtocolException(ProtocolErrorKind.BadState, $"join line '{Trim(line)}' is not '<Goal Reached in Sub Search ...>' or '<No Solution in Sub Search ...>'");
            var k = results.Count;
            if (j.Index != k)
                throw new ProtocolException(ProtocolErrorKind.WrongChildIndex, $"join line '{Trim(line)}' has child index {j.Index}; expected {k}");
            if (j.Level != ChildLevel)
                throw new ProtocolException(ProtocolErrorKind.WrongLevel, $"join line '{Trim(line)}' has level {j.Level}; expected {ChildLevel}");
            GrammarNode node;
            if (fromPrompt)
            {
                node = Eligible(j.NodeId, line);
                node.Status = NodeStatus.Spawned;
                _named.Add(node);
            }
            else
            {
                if (k >= _named.Count)
                    throw new ProtocolException(ProtocolErrorKind.WrongChildIndex, $"join line '{Trim(line)}' reports child {k}, but the spawn block named {_named.Count}");
                node = _named[k];
                if (node.Id != j.NodeId)
                    throw new ProtocolException(ProtocolErrorKind.UnknownNode, $"join line '{Trim(line)}' names node #{j.NodeId}; child {k} was spawned at node #{node.Id}");
            }
            List<SearchNode>? path = null;
            if (j.Solved) (path, at) = ReadChildRecap(lines, at, node);
            results.Add((node, path));
        }
        if (at != lines.Count - 1)
            throw new ProtocolException(ProtocolErrorKind.BadState, at >= lines.Count ? "the join block has no '<End Sub Searches>' line" : $"text after '<End Sub Searches>': '{Trim(lines[at + 1])}'");
        if (results.Count == 0 || results.Count != _named.Count)
            throw new ProtocolException(ProtocolErrorKind.WrongChildIndex, $"the join block reports {results.Count} children; the spawn named {_named.Count}");
        _named.Clear();
        _phase = Phase.Choice;
        foreach (var (node, path) in results)
        {
            if (path is null) continue;
            var full = PathTo(node);
            full.AddRange(path.Skip(1));
            ForceGoal(full);
            return;
        }
        _afterJoin = true;
    }

    /// <summary>Reads a child's recap from <paramref name="start"/> to its goal; returns the path (start first) and the next line index.</summary>
    private (List<SearchNode> Path, int Next) ReadChildRecap(List<string> lines, int at, GrammarNode start)
    {
        string Next(string what)
        {
            if (at >= lines.Count - 1) throw new ProtocolException(ProtocolErrorKind.BadRecap, $"the recap of the child at node #{start.Id} ends before {what}");
            return lines[at++];
        }
        var path = new List<SearchNode> { start.ToSearchNode() };
        var expect = Text(sb => TraceFormat.MovingTo(sb, start.Id));
        var got = Next("its 'Moving to Node' line");
        if (got != expect) throw new ProtocolException(ProtocolErrorKind.BadRecap, $"the recap of the child at node #{start.Id} must start with '{Trim(expect)}', not '{Trim(got)}'");
        var cur = start.ToSearchNode();
        while (true)
        {
            expect = Text(sb => TraceFormat.CurrentState(sb, _target, cur.Nums, cur.Operations));
            got = Next("a state line");
            if (got != expect) throw new ProtocolException(ProtocolErrorKind.BadRecap, $"recap line '{Trim(got)}' should be '{Trim(expect)}'");
            got = Next("an Exploring line");
            if (TraceLineParser.Parse(got) is not TraceLine.Exploring e || !Successor.All(cur.Nums).Exists(s => s.Operation == e.Operation && s.Numbers.AsSpan().SequenceEqual(e.Resulting)))
                throw new ProtocolException(ProtocolErrorKind.BadRecap, $"recap line '{Trim(got)}' is not a correct step from [{string.Join(", ", cur.Nums)}]");
            Operation[] ops = [.. cur.Operations, e.Operation];
            if (e.Resulting.Length == 1)
            {
                expect = Text(sb => TraceFormat.Verdict(sb, e.Resulting[0], _target));
                got = Next("its verdict");
                if (got != expect || e.Resulting[0] != _target) throw new ProtocolException(ProtocolErrorKind.BadRecap, $"the recap's last step '{Trim(lines[at - 2])}' ends with '{Trim(got)}'; a child recap must end at the target: '{_target},{_target} equal: Goal Reached'");
                path.Add(new SearchNode(NodeIds.Child(cur.Id, 0), e.Resulting, ops));
                return (path, at);
            }
            got = Next("a Generated Node line");
            if (TraceLineParser.Parse(got) is not TraceLine.GeneratedNode g || !g.NodeId.StartsWith(cur.Id + ",", StringComparison.Ordinal)
                || NodeIds.Depth(g.NodeId) != NodeIds.Depth(cur.Id) + 1 || g.Operation != e.Operation || g.Target != _target || !g.Nums.AsSpan().SequenceEqual(e.Resulting))
                throw new ProtocolException(ProtocolErrorKind.BadRecap, $"recap line '{Trim(got)}' does not match the step '{Trim(lines[at - 2])}' from node #{cur.Id}");
            cur = new SearchNode(g.NodeId, g.Nums, ops);
            path.Add(cur);
            expect = Text(sb => TraceFormat.MovingTo(sb, cur.Id));
            got = Next("a Moving line");
            if (got != expect) throw new ProtocolException(ProtocolErrorKind.BadRecap, $"recap line '{Trim(got)}' should be '{Trim(expect)}'");
        }
    }

    /// <summary>
    /// The legal next lines (each ending in "\n"; a prefix-free set). Empty when the thread is Finished or
    /// AwaitingJoin. One element when the next line is forced.
    /// </summary>
    public IReadOnlyList<string> Options => _options ??= BuildOptions();

    private List<string> BuildOptions()
    {
        if (_pending.Count > 0) return _revealPending ? [_pending.Peek().Text, .. TwinGeneratedLines()] : [_pending.Peek().Text];
        var list = new List<string>();
        if (_phase is Phase.Finished or Phase.AwaitJoin) return list;
        var scope = Scope;
        var open = scope.Generated.FindAll(IsNameable);
        if (_phase == Phase.SpawnBlock)
        {
            if (_named.Count < _settings.MaxChildren)
                foreach (var n in open) list.Add(Text(sb => TraceFormat.SpawnChild(sb, _named.Count, ChildLevel, n.Id)));
            if (_named.Count > 0) list.Add(TraceFormat.EndCallingSubSearches + "\n");
            return list;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in scope.Remaining)
        {
            var text = Text(sb => TraceFormat.Exploring(sb, s.Operation, s.Numbers));
            if (seen.Add(text)) list.Add(text);
        }
        foreach (var n in open) list.Add(Text(sb => TraceFormat.MovingTo(sb, n.Id)));
        if (_settings.Mode == SearchMethod.SosPlus && scope.Level < _settings.MaxDepth)
            foreach (var n in open) list.Add(Text(sb => TraceFormat.StartSubSearch(sb, scope.Level + 1, n.Id)));
        if (_settings.Mode == SearchMethod.Apr && _settings.Level < _settings.MaxDepth && _settings.MaxChildren > 0 && open.Count > 0)
            list.Add(TraceFormat.CallingSubSearches + "\n");
        if (_afterJoin)
            foreach (var n in open)
            {
                var text = Text(sb => TraceFormat.CurrentState(sb, _target, n.Nums, n.Ops));
                if (seen.Add(text)) list.Add(text);
            }
        list.Add(TraceFormat.NoSolutionFound + "\n");
        return list;
    }
}
