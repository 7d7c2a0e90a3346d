// GuidedCursor: walks one thread's trace grammar at the token level (reference section 11). The legal
// next lines (ThreadGrammar.Options) are tokenized one by one (no token crosses a newline, so a line's
// tokens do not depend on what came before) and form a token trie; where the trie does not branch the
// token is forced (inserted without asking the model), where it branches the model chooses among the
// branches. This is exactly Apr.Data's TokenMarking. A completed line is fed to the grammar.
// It does not sample, hold logits or know about batches; GuidedSequence does that.
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

internal sealed class GuidedCursor
{
    private readonly ThreadGrammar _grammar;
    private readonly TraceTokenizer _tokenizer;
    private readonly List<(string Line, int[] Tokens)> _alive = [];
    private readonly List<int> _branches = [];
    private bool _lineOpen;
    private int _k; // tokens of the current line taken so far

    public GuidedCursor(ThreadGrammar grammar, TraceTokenizer tokenizer)
    {
        _grammar = grammar;
        _tokenizer = tokenizer;
    }

    public ThreadGrammar Grammar => _grammar;

    /// <summary>Tokens of the current line taken so far (0 at a line start).</summary>
    public int Position => _k;

    /// <summary>Lines the grammar accepted through this cursor.</summary>
    public int LinesTaken { get; private set; }

    /// <summary>True at a branch point: the options still alive (line text, tokens) share the current prefix.</summary>
    public IReadOnlyList<(string Line, int[] Tokens)> Alive => _alive;

    /// <summary>
    /// Appends forced tokens to <paramref name="forced"/> until a branch point (returns the distinct legal
    /// next token ids, ascending) or the end of the thread's call (returns null: Finished or AwaitingJoin).
    /// </summary>
    public IReadOnlyList<int>? RunForced(List<int> forced)
    {
        while (true)
        {
            if (!_lineOpen)
            {
                if (_grammar.State != GrammarState.Open) return null;
                _alive.Clear();
                foreach (var option in _grammar.Options) _alive.Add((option, _tokenizer.Encode(option)));
                if (_alive.Count == 0) throw new InvalidOperationException("the grammar is open but offers no line");
                _lineOpen = true;
                _k = 0;
            }
            _branches.Clear();
            foreach (var (_, tokens) in _alive)
                if (!_branches.Contains(tokens[_k])) _branches.Add(tokens[_k]);
            if (_branches.Count > 1)
            {
                _branches.Sort();
                return _branches;
            }
            forced.Add(_branches[0]);
            Take(_branches[0]);
        }
    }

    /// <summary>Takes <paramref name="token"/> at the current point (it must be legal).</summary>
    public void Take(int token)
    {
        if (!_lineOpen) throw new InvalidOperationException("no line is open: call RunForced first");
        int k = _k;
        _alive.RemoveAll(o => o.Tokens[k] != token);
        if (_alive.Count == 0) throw new InvalidOperationException($"token {token} is not a legal continuation here");
        _k++;
        if (_alive.Count == 1 && _alive[0].Tokens.Length == _k)
        {
            _grammar.Advance(_alive[0].Line);
            LinesTaken++;
            _lineOpen = false;
            _alive.Clear();
            _k = 0;
        }
    }
}
