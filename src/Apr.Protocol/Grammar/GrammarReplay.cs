// GrammarReplay: character-level replay of one thread's completion against ThreadGrammar: which
// characters were forced and which chosen, and the first character that leaves the grammar.
//
// A character is chosen iff some option consistent with the text so far differs from the text at
// that character (the option trie branches there); otherwise it is forced. It works on lines, so it
// costs one options list per line, not per character. It does not know tokens.
namespace Apr.Protocol;

public static class GrammarReplay
{
    /// <summary>Replays <paramref name="completion"/> after <paramref name="prompt"/> (see <see cref="ReplayMarks"/>).</summary>
    public static ReplayMarks Mark(string prompt, string completion, GrammarSettings settings)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var grammar = ThreadGrammar.Start(prompt, settings);
        return Mark(grammar, completion);
    }

    /// <summary>Replays <paramref name="completion"/> from the grammar's current point (the grammar advances).</summary>
    public static ReplayMarks Mark(ThreadGrammar grammar, string completion)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(completion);
        var forced = new bool[completion.Length];
        var pos = 0;
        while (pos < completion.Length)
        {
            if (grammar.State != GrammarState.Open)
                return new ReplayMarks(forced, pos, pos, $"text after the end of the thread ({grammar.State})", ProtocolErrorKind.TextAfterEnd, grammar.State);
            var nl = completion.IndexOf('\n', pos);
            var end = nl < 0 ? completion.Length : nl + 1;
            var line = completion.AsSpan(pos, end - pos);
            var options = grammar.Options;
            var best = 0;
            var exact = false;
            for (var p = 0; p < line.Length; p++) forced[pos + p] = true;
            foreach (var option in options)
            {
                var lcp = line.CommonPrefixLength(option);
                if (lcp == option.Length && lcp == line.Length) exact = true;
                else if (lcp < line.Length && lcp < option.Length) forced[pos + lcp] = false;
                if (lcp > best) best = lcp;
            }
            if (exact)
            {
                grammar.Advance(line.ToString());
                pos = end;
                continue;
            }
            if (nl < 0 && best == line.Length)
                return new ReplayMarks(forced, completion.Length, -1, null, null, grammar.State);
            string reason;
            ProtocolErrorKind kind;
            try
            {
                grammar.Advance(nl < 0 ? line.ToString() + "\n" : line.ToString());
                (reason, kind) = ($"line '{line.ToString().TrimEnd('\n')}' is incomplete", ProtocolErrorKind.MalformedLine);
            }
            catch (ProtocolException e) { (reason, kind) = (e.Message, e.Kind); }
            return new ReplayMarks(forced, pos + best, pos + best, reason, kind, grammar.State);
        }
        return new ReplayMarks(forced, completion.Length, -1, null, null, grammar.State);
    }
}
