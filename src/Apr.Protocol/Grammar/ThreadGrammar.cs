// ThreadGrammar: the incremental grammar of ONE thread's trace (reference section 11). At every point
// it gives the complete set of legal next lines (Options), or says the thread ended (Finished) or is
// waiting for the runtime's join block (AwaitingJoin). Forced continuations are one-option sets.
//
// Lines are fed one at a time (Advance); each is parsed once and checked against the search state, so
// replaying a trace is linear in its length. Options are built only when asked for.
//
// Where the grammar is MORE PERMISSIVE than the reference solvers (every such line still keeps the
// trace valid and checkable):
//  1. Order is free: at a choice point the thread may explore any unexplored successor of its current
//     node (in any order, also after a dive or a failed spawn), move to / dive into / spawn any
//     generated, unexplored node of its (sub)search, or give up with "No solution found." at any time
//     (the solvers give up only when the heap is empty, and expand a node completely before moving).
//  2. No beam and no heuristic: any number of successors may be kept, any node may be moved to.
//  3. After a join in which no child succeeded, the next node's "Current State" may follow without a
//     "Moving to Node" line (the reference solver omits it there: its batch index is overwritten by the
//     spawn loop). When twin nodes share that state line, later ids decide which twin it was
//     (ThreadGrammar.Twins.cs).
//  4. SoS+ dives may target any open node of the current (sub)search, not only the children just
//     generated; nesting is bounded by GrammarSettings.MaxDepth only.
// It deliberately does not know about tokens, budgets or models; the conditioning prefixes are only
// accepted on the prompt's first line.
using System.Text;
using Apr.Countdown;

namespace Apr.Protocol;

public sealed partial class ThreadGrammar
{
    private enum Phase { Choice, SpawnBlock, AwaitJoin, Finished }

    private readonly record struct Forced(string Text, ProtocolErrorKind Kind, string What);

    private readonly GrammarSettings _settings;
    private readonly long _target;
    private readonly GrammarNode _start;
    private readonly Dictionary<string, GrammarNode> _nodes = new(StringComparer.Ordinal);
    private readonly List<GrammarScope> _scopes = [];
    private readonly Queue<Forced> _pending = new();
    private readonly List<GrammarNode> _named = [];
    private readonly StringBuilder _sb = new(128);
    private Phase _phase;
    private bool _afterJoin;
    private bool _revealPending; // the pending Generated line is the first child of an Unrevealed twin
    private int _scopeSerial;
    private List<string>? _options;
    private Operation[]? _answer;
    private string? _recap;
    private readonly int _startSuccessors;

    private ThreadGrammar(GrammarSettings settings, long target, GrammarNode start)
    {
        _settings = settings;
        _target = target;
        _start = start;
        start.Status = NodeStatus.Explored;
        _nodes[start.Id] = start;
        _scopes.Add(new GrammarScope(_scopeSerial++, 0, start));
        _startSuccessors = _scopes[0].Remaining.Count;
    }

    /// <summary>The problem's target.</summary>
    public long Target => _target;

    /// <summary>The numbers of node <paramref name="id"/> if this thread named it (generated or started at), else null.</summary>
    public long[]? NodeNumbers(string id) => _nodes.TryGetValue(id, out var node) ? node.Nums : null;

    /// <summary>The numbers of every node this thread named (its start node and the nodes it generated).</summary>
    public IEnumerable<long[]> NodeStates => _nodes.Values.Select(n => n.Nums);

    /// <summary>
    /// The count of its start node's successors the thread has explored while it has not left the start node yet (no
    /// move, dive or spawn); null once it has, or while a forced line is pending. The first look of a child
    /// (ValueGuide.Widen).
    /// </summary>
    public int? FirstLook => _phase == Phase.Choice && _pending.Count == 0 && _scopes.Count == 1 && Scope.Current == _start && Scope.Generated.TrueForAll(n => n.Status == NodeStatus.Open)
        ? _startSuccessors - Scope.Remaining.Count : null;

    /// <summary>Successors of the current node not explored yet.</summary>
    public int UnexploredAtCurrent => Scope.Remaining.Count;

    /// <summary>How many nodes this thread has named.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>The thread's start node (the root for SoS+ and APR root threads).</summary>
    public SearchNode StartNode => _start.ToSearchNode();

    public GrammarSettings Settings => _settings;

    /// <summary>Number of completion lines accepted so far (prompt lines not counted).</summary>
    public int LinesAdvanced { get; private set; }

    /// <summary>Open (see <see cref="Options"/>), AwaitingJoin, or Finished.</summary>
    public GrammarState State => _pending.Count > 0 ? GrammarState.Open : _phase switch
    {
        Phase.AwaitJoin => GrammarState.AwaitingJoin,
        Phase.Finished => GrammarState.Finished,
        _ => GrammarState.Open,
    };

    /// <summary>True when the next line is forced (exactly one option).</summary>
    public bool IsForced => _pending.Count > 0 && Options.Count == 1;

    /// <summary>When Finished with a goal: the operations of the recap (the answer); otherwise null.</summary>
    public IReadOnlyList<Operation>? Answer => _answer;

    /// <summary>When Finished with a goal: the recap lines (from "Moving to Node #start" to the final "Goal Reached", newline included).</summary>
    public string? RecapText => _recap;

    /// <summary>True while the thread is inside its spawn block (after <c>&lt;Calling Sub Searches&gt;</c>, before its end line).</summary>
    public bool InSpawnBlock => _phase == Phase.SpawnBlock;

    /// <summary>The nodes named by the spawn block just written (valid while AwaitingJoin).</summary>
    public IReadOnlyList<SearchNode> SpawnedNodes => _named.ConvertAll(n => n.ToSearchNode());

    /// <summary>The level of children spawned by this thread.</summary>
    public int ChildLevel => _settings.Level + 1;

    /// <summary>
    /// Starts a thread from its prompt (every line ending in "\n"): an APR prompt (<c>Moving to Node #id</c>,
    /// <c>Current State</c>, then for a resumed parent its earlier lines and join blocks) or a SoS+ prompt
    /// (<c>Current State</c>). The first line may carry conditioning prefixes.
    /// </summary>
    public static ThreadGrammar Start(string prompt, GrammarSettings settings)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(settings);
        var lines = SplitLines(prompt, "prompt");
        var first = TraceLineParser.Parse(lines[0]);
        while (first is TraceLine.Conditioned c) first = c.Line;
        var at = 1;
        string id = NodeIds.Root;
        if (settings.Mode == SearchMethod.Apr)
        {
            if (first is not TraceLine.MovingTo move)
                throw new ProtocolException(ProtocolErrorKind.BadState, $"an APR prompt must start with 'Moving to Node #id', not '{lines[0].TrimEnd('\n')}'");
            id = move.NodeId;
            if (lines.Count < 2) throw new ProtocolException(ProtocolErrorKind.BadState, "an APR prompt needs a 'Current State' line after its 'Moving to Node' line");
            first = TraceLineParser.Parse(lines[at++]);
        }
        if (first is not TraceLine.CurrentState state)
            throw new ProtocolException(ProtocolErrorKind.BadState, $"expected the start node's 'Current State' line, not '{lines[at - 1].TrimEnd('\n')}'");
        if (state.Nums.Length == 0) throw new ProtocolException(ProtocolErrorKind.BadState, "the start state has no numbers");
        if (NodeIds.Depth(id) != state.Operations.Length)
            throw new ProtocolException(ProtocolErrorKind.BadState, $"node #{id} is at depth {NodeIds.Depth(id)} but its state lists {state.Operations.Length} operation(s)");
        foreach (var op in state.Operations)
            if (!op.IsCorrect) throw new ProtocolException(ProtocolErrorKind.BadArithmetic, $"start state operation '{op}' is not correct");
        var grammar = new ThreadGrammar(settings, state.Target, new GrammarNode(id, state.Nums, state.Operations, null, 0));
        while (at < lines.Count)
        {
            if (lines[at] == TraceFormat.SubSearches + "\n" && grammar._pending.Count == 0 && grammar._phase == Phase.Choice)
            {
                var end = at;
                while (end < lines.Count && lines[end] != TraceFormat.EndSubSearches + "\n") end++;
                if (end == lines.Count) throw new ProtocolException(ProtocolErrorKind.BadState, "the prompt's join block has no '<End Sub Searches>' line");
                grammar.Join(lines.GetRange(at, end - at + 1), fromPrompt: true);
                at = end + 1;
                continue;
            }
            grammar.Advance(lines[at++]);
        }
        grammar.LinesAdvanced = 0;
        return grammar;
    }

    /// <summary>
    /// Accepts one line (ending in "\n") if it is among <see cref="Options"/>; otherwise throws a descriptive
    /// ProtocolException and leaves the grammar unchanged.
    /// </summary>
    public void Advance(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0 || line[^1] != '\n' || line.AsSpan(0, line.Length - 1).Contains('\n'))
            throw new ProtocolException(ProtocolErrorKind.MalformedLine, $"'{line}' is not exactly one line ending in a newline");
        _options = null;
        if (_pending.Count > 0)
        {
            var want = _pending.Peek();
            if (!string.Equals(want.Text, line, StringComparison.Ordinal) && !TryRevealTwin(line))
                throw new ProtocolException(want.Kind, $"expected {want.What} '{want.Text.TrimEnd('\n')}', got '{line.TrimEnd('\n')}'");
            if (_revealPending)
            {
                Scope.Current.Unrevealed = false;
                _revealPending = false;
            }
            _pending.Dequeue();
            LinesAdvanced++;
            return;
        }
        switch (_phase)
        {
            case Phase.Finished:
                throw new ProtocolException(ProtocolErrorKind.TextAfterEnd, $"the thread already ended; got '{line.TrimEnd('\n')}'");
            case Phase.AwaitJoin:
                throw new ProtocolException(ProtocolErrorKind.TextAfterEnd, $"the thread ended with a spawn block and awaits its join; got '{line.TrimEnd('\n')}'");
        }
        var parsed = TraceLineParser.Parse(line);
        if (_phase == Phase.SpawnBlock) AdvanceSpawnBlock(parsed, line);
        else
        {
            AdvanceChoice(parsed, line);
            _afterJoin = false; // only on success: a rejected line leaves the grammar as it was
        }
        LinesAdvanced++;
    }

    /// <summary>
    /// Feeds the runtime's join block (<c>&lt;Sub Searches&gt;</c> ... <c>&lt;End Sub Searches&gt;</c>) while
    /// AwaitingJoin; checks child indices, levels, node ids and each solved child's recap. If a child
    /// solved, the verdict and the root-to-goal recap become forced; otherwise the thread chooses again.
    /// </summary>
    public void AdvanceInserted(string joinBlock)
    {
        ArgumentNullException.ThrowIfNull(joinBlock);
        if (State != GrammarState.AwaitingJoin)
            throw new ProtocolException(ProtocolErrorKind.BadState, $"a join block can only follow a spawn block; the grammar is {State}");
        _options = null;
        Join(SplitLines(joinBlock, "join block"), fromPrompt: false);
    }

    internal static List<string> SplitLines(string text, string what)
    {
        if (text.Length == 0) throw new ProtocolException(ProtocolErrorKind.BadState, $"the {what} is empty");
        if (text[^1] != '\n') throw new ProtocolException(ProtocolErrorKind.MalformedLine, $"the {what} does not end with a newline: '{LastLine(text)}'");
        var lines = new List<string>();
        var from = 0;
        while (from < text.Length)
        {
            var nl = text.IndexOf('\n', from);
            lines.Add(text.Substring(from, nl - from + 1));
            from = nl + 1;
        }
        return lines;
    }

    /// <summary>Splits into lines, each ending in "\n" except possibly the last.</summary>
    internal static List<string> SplitLinesLenient(string text)
    {
        var lines = new List<string>();
        var from = 0;
        while (from < text.Length)
        {
            var nl = text.IndexOf('\n', from);
            var end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[from..end]);
            from = end;
        }
        return lines;
    }

    private static string LastLine(string text)
    {
        var nl = text.LastIndexOf('\n');
        return nl < 0 ? text : text[(nl + 1)..];
    }

    private GrammarScope Scope => _scopes[^1];

    private string Text(Func<StringBuilder, StringBuilder> write)
    {
        _sb.Clear();
        return write(_sb).ToString();
    }

    private void Force(string text, ProtocolErrorKind kind, string what) => _pending.Enqueue(new Forced(text, kind, what));

    private void ForceState(GrammarNode node) =>
        Force(Text(sb => TraceFormat.CurrentState(sb, _target, node.Nums, node.Ops)), ProtocolErrorKind.BadState, $"the state of node #{node.Id}");

    /// <summary>The goal was reached at <paramref name="path"/>'s end: verdict, recap from the start node, exits.</summary>
    private void ForceGoal(List<SearchNode> path)
    {
        Force(Text(sb => TraceFormat.Verdict(sb, _target, _target)), ProtocolErrorKind.BadArithmetic, "the verdict");
        _recap = Recap.Write(_target, path);
        foreach (var recapLine in SplitLines(_recap, "recap"))
            Force(recapLine, ProtocolErrorKind.BadRecap, "the recap line");
        for (var level = Scope.Level; level >= 1; level--)
        {
            var l = level;
            Force(Text(sb => TraceFormat.ExitSubSearch(sb, l)), ProtocolErrorKind.BadState, "the exit line");
        }
        _answer = path[^1].Operations;
        _phase = Phase.Finished;
    }

    /// <summary>Start node .. <paramref name="node"/> following parent links.</summary>
    private static List<SearchNode> PathTo(GrammarNode node)
    {
        var path = new List<SearchNode>();
        for (var n = node; n is not null; n = n.Parent) path.Add(n.ToSearchNode());
        path.Reverse();
        return path;
    }
}
