// LineTrie: the token trie of the lines a grammar allows next (reference section 11), walked one token
// at a time. Each allowed line is tokenized on its own (no token crosses a newline, so a line's tokens
// do not depend on what came before); where the surviving lines agree on the next token it is forced,
// where they disagree the model chooses. The one walker of that trie: guided decoding (GuidedCursor)
// asks it what may come next, and training's token marking (TokenMarking) asks it which tokens of a
// stored line were choices, so the two cannot disagree. It knows tokens and lines, not the grammar.
namespace Apr.Tokenization;

public sealed class LineTrie(TraceTokenizer tokenizer)
{
    private readonly TraceTokenizer _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
    private readonly List<(string Line, int[] Tokens)> _alive = [];

    /// <summary>True while a line is being walked (between <see cref="Start"/> and the token that completes it).</summary>
    public bool IsOpen => _alive.Count > 0;

    /// <summary>Tokens of the current line taken so far (0 at a line start).</summary>
    public int Position { get; private set; }

    /// <summary>The lines (text, tokens) that still share the tokens taken so far.</summary>
    public IReadOnlyList<(string Line, int[] Tokens)> Alive => _alive;

    /// <summary>Starts a line among <paramref name="lines"/> (each ending in a newline).</summary>
    public void Start(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        _alive.Clear();
        foreach (var line in lines) _alive.Add((line, _tokenizer.Encode(line)));
        if (_alive.Count == 0) throw new InvalidOperationException("no line is allowed here");
        Position = 0;
    }

    /// <summary>Fills <paramref name="next"/> with the distinct legal next tokens, ascending; more than one is a choice.</summary>
    public void NextTokens(List<int> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        next.Clear();
        foreach (var (_, tokens) in _alive)
            if (!next.Contains(tokens[Position])) next.Add(tokens[Position]);
        next.Sort();
    }

    /// <summary>True when <paramref name="token"/> may come next.</summary>
    public bool Allows(int token)
    {
        foreach (var (_, tokens) in _alive) if (tokens[Position] == token) return true;
        return false;
    }

    /// <summary>Takes <paramref name="token"/> (it must be legal); returns the line it completes, or null while the line goes on.</summary>
    public string? Take(int token)
    {
        if (!IsOpen) throw new InvalidOperationException("no line is open: call Start first");
        int k = Position;
        _alive.RemoveAll(o => o.Tokens[k] != token);
        if (_alive.Count == 0) throw new InvalidOperationException($"token {token} is not a legal continuation here");
        Position++;
        if (_alive.Count > 1 || _alive[0].Tokens.Length != Position) return null;
        var line = _alive[0].Line;
        _alive.Clear();
        Position = 0;
        return line;
    }
}
