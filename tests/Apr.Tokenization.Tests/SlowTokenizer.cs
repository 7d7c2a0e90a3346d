// SlowTokenizer: an obviously correct, slow encoder written from the rules in TraceTokenizer's header
// (StartsWith over the phrases, Rune-based UTF-8 for everything outside ASCII), to test the fast trie
// encoder against. Returns token ids of the given tokenizer's vocabulary.
using System.Text;

namespace Apr.Tokenization.Tests;

internal static class SlowTokenizer
{
    public static List<int> Encode(TraceTokenizer tok, string text)
    {
        var ids = new List<int>();
        var phrases = tok.Phrases.Select((p, i) => (Text: p, Id: tok.VocabSize - tok.Phrases.Count + i))
            .OrderByDescending(p => p.Text.Length).ToList();
        var byteFirst = 3;
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                var end = i;
                while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
                var run = text[i..end];
                var canonical = run == "0" || run[0] != '0';
                if (canonical && run.Length <= 9 && int.Parse(run) < tok.NumberCount) ids.Add(tok.NumberToken(int.Parse(run)));
                else ids.AddRange(run.Select(d => tok.NumberToken(d - '0')));
                i = end;
                continue;
            }
            if (text[i] < 0x80)
            {
                var match = phrases.FirstOrDefault(p => text.AsSpan(i).StartsWith(p.Text, StringComparison.Ordinal));
                if (match.Text is not null)
                {
                    ids.Add(match.Id);
                    i += match.Text.Length;
                }
                else ids.Add(byteFirst + text[i++]);
                continue;
            }
            if (Rune.TryGetRuneAt(text, i, out var rune))
            {
                var buffer = new byte[4];
                var n = rune.EncodeToUtf8(buffer);
                ids.AddRange(buffer.Take(n).Select(b => byteFirst + b));
                i += rune.Utf16SequenceLength;
            }
            else
            {
                // A lone surrogate: three bytes, as UTF-8 would write the code point if it were allowed.
                int c = text[i++];
                ids.Add(byteFirst + (0xE0 | (c >> 12)));
                ids.Add(byteFirst + (0x80 | ((c >> 6) & 0x3F)));
                ids.Add(byteFirst + (0x80 | (c & 0x3F)));
            }
        }
        return ids;
    }
}
