// The guided decoder tokenizes each allowed next line on its own and concatenates: that is only right if
// Encode(a + b) == Encode(a) ++ Encode(b) whenever a ends with a newline.
namespace Apr.Tokenization.Tests;

public sealed class NewlineBoundaryTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    [Fact]
    public void No_token_holds_a_newline_except_as_its_last_char()
    {
        for (var id = 0; id < Tok.VocabSize; id++)
        {
            var text = Tok.TokenText(id);
            var newline = text.IndexOf('\n');
            Assert.True(newline < 0 || newline == text.Length - 1, $"token {id} {text}");
        }
    }

    [Fact]
    public void Every_reference_trace_encodes_the_same_whole_or_line_by_line()
    {
        foreach (var trace in ReferenceTraces.All)
        {
            var byLine = new List<int>();
            foreach (var line in SplitKeepingNewlines(trace)) Tok.Encode(line, byLine);
            Assert.Equal(Tok.Encode(trace), byLine);
        }
    }

    [Fact]
    public void Random_strings_encode_the_same_split_after_any_newline()
    {
        var rng = new Random(7);
        for (var n = 0; n < 3000; n++)
        {
            var a = RandomText.Next(rng) + "\n";
            var b = RandomText.Next(rng);
            var whole = Tok.Encode(a + b);
            Assert.Equal([.. Tok.Encode(a), .. Tok.Encode(b)], whole);
            // And splitting after every newline inside the string.
            var pieces = new List<int>();
            foreach (var piece in SplitKeepingNewlines(a + b)) Tok.Encode(piece, pieces);
            Assert.Equal(whole, pieces);
        }
    }

    private static IEnumerable<string> SplitKeepingNewlines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            yield return text[start..(i + 1)];
            start = i + 1;
        }
        if (start < text.Length) yield return text[start..];
    }
}
