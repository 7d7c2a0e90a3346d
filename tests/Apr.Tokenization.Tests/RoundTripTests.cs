// Decode(Encode(s)) == s for every reference trace and for many random strings, and the fast encoder
// agrees with the slow one token for token.
namespace Apr.Tokenization.Tests;

public sealed class RoundTripTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    [Fact]
    public void Every_reference_trace_round_trips_and_matches_the_slow_encoder()
    {
        var count = 0;
        foreach (var trace in ReferenceTraces.All)
        {
            var ids = Tok.Encode(trace);
            Assert.Equal(trace, Tok.Decode(ids));
            Assert.Equal(SlowTokenizer.Encode(Tok, trace), ids);
            count++;
        }
        Assert.True(count > 100, $"only {count} traces");
    }

    [Fact]
    public void Random_strings_round_trip_and_match_the_slow_encoder()
    {
        var rng = new Random(20261129);
        for (var n = 0; n < 5000; n++)
        {
            var s = RandomText.Next(rng);
            var ids = Tok.Encode(s);
            Assert.True(s == Tok.Decode(ids), $"case {n}: round trip failed for {Escape(s)}");
            Assert.Equal(SlowTokenizer.Encode(Tok, s), ids);
            Assert.Equal(ids.Length, Tok.CountTokens(s));
            Assert.All(ids, id => Assert.False(Tok.IsSpecial(id)));
        }
    }

    [Fact]
    public void Edge_cases_round_trip()
    {
        // In code, not in attributes: attribute strings are stored as UTF-8 and would lose lone surrogates.
        string[] cases =
        [
            "", "\r\n", "0000000", "00123456789012345678901234567890", "\uD800", "\uDFFF\uD800", "a\uD83D",
            "\uD83D\uDE00\uFFFD\u0000\u007F\u0080", "Moving to Node #0", "\uD83D\uD83D\uDE00",
        ];
        foreach (var s in cases) Assert.True(s == Tok.Decode(Tok.Encode(s)), Escape(s));
        Assert.Equal(3, Tok.Encode("\uD800").Length);
        Assert.Equal(3 + 4, Tok.Encode("\uD83D\uD83D\uDE00").Length); // a lone high, then a pair
    }

    [Fact]
    public void Special_tokens_decode_to_nothing()
    {
        var ids = new List<int> { Tok.Bos };
        ids.AddRange(Tok.Encode("12,12 equal: Goal Reached\n"));
        ids.Add(Tok.Eos);
        ids.Add(Tok.Pad);
        Assert.Equal("12,12 equal: Goal Reached\n", Tok.Decode(ids.ToArray()));
    }

    [Fact]
    public void Malformed_byte_tokens_decode_to_replacement_chars_not_errors()
    {
        var b = (int x) => 3 + x; // byte token ids start at 3
        Assert.Equal("\uFFFD\uFFFDA", Tok.Decode([b(0xE2), b(0x82), b(0x41)]));
        Assert.Equal("\uFFFD", Tok.Decode([b(0xFF)]));
        Assert.Equal("€", Tok.Decode([b(0xE2), b(0x82), b(0xAC)]));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_rejected_with_the_id()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Decode([5, Tok.VocabSize]));
        Assert.Contains(Tok.VocabSize.ToString(), e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.TokenText(-1));
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
