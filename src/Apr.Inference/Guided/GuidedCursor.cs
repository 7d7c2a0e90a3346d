// GuidedCursor: walks one thread's trace grammar at the token level (reference section 11): the legal
// next lines (ThreadGrammar.Options) form a LineTrie; where it does not branch the token is forced
// (inserted without asking the model), where it branches the model chooses among the branches. A
// completed line is fed to the grammar. The trie walk itself is LineTrie's, shared with Apr.Data's
// TokenMarking. It does not sample, hold logits or know about batches; CallSequence does that.
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

internal sealed class GuidedCursor
{
    private readonly ThreadGrammar _grammar;
    private readonly LineTrie _trie;
    private readonly List<int> _branches = [];
    private readonly List<int> _scratch = [];

    public GuidedCursor(ThreadGrammar grammar, TraceTokenizer tokenizer)
    {
        _grammar = grammar;
        _trie = new LineTrie(tokenizer);
    }

    public ThreadGrammar Grammar => _grammar;

    /// <summary>Tokens of the current line taken so far (0 at a line start).</summary>
    public int Position => _trie.Position;

    /// <summary>Lines the grammar accepted through this cursor.</summary>
    public int LinesTaken { get; private set; }

    /// <summary>The options still alive (line text, tokens): they share the current prefix.</summary>
    public IReadOnlyList<(string Line, int[] Tokens)> Alive => _trie.Alive;

    /// <summary>True when the next token of the open line is a choice (the trie branches here).</summary>
    public bool AtBranch
    {
        get
        {
            _trie.NextTokens(_scratch);
            return _scratch.Count > 1;
        }
    }

    /// <summary>
    /// Appends forced tokens to <paramref name="forced"/> until a branch point (returns the distinct legal
    /// next token ids, ascending) or the end of the thread's call (returns null: Finished or AwaitingJoin).
    /// </summary>
    public IReadOnlyList<int>? RunForced(List<int> forced)
    {
        while (true)
        {
            if (!_trie.IsOpen)
            {
                if (_grammar.State != GrammarState.Open) return null;
                _trie.Start(_grammar.Options);
            }
            _trie.NextTokens(_branches);
            if (_branches.Count > 1) return _branches;
            forced.Add(_branches[0]);
            Take(_branches[0]);
        }
    }

    /// <summary>Takes <paramref name="token"/> at the current point (it must be legal).</summary>
    public void Take(int token)
    {
        if (_trie.Take(token) is not { } line) return;
        _grammar.Advance(line);
        LinesTaken++;
    }
}
