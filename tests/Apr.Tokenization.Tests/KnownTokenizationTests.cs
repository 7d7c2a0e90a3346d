// Hand-written lines of every kind with their tokenizations worked out by hand from the rules.
namespace Apr.Tokenization.Tests;

public sealed class KnownTokenizationTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    private static string[] Texts(string s) => Tok.Encode(s).Select(Tok.TokenText).ToArray();

    [Fact]
    public void State_line()
    {
        Assert.Equal(
            ["Current State: ", "27", ":[", "22", ", ", "26", ", ", "31", ", ", "53", "], Operations: ['", "53", "-", "26", "=", "27", "', '", "31", "/", "31", "=", "1", "']\n"],
            Texts("Current State: 27:[22, 26, 31, 53], Operations: ['53-26=27', '31/31=1']\n"));
    }

    [Fact]
    public void Root_state_line_with_and_without_newline()
    {
        Assert.Equal(["Current State: ", "5", ":[", "1", ", ", "2", "], Operations: []\n"], Texts("Current State: 5:[1, 2], Operations: []\n"));
        Assert.Equal(["Current State: ", "5", ":[", "1", ", ", "2", "], Operations: [", "]"], Texts("Current State: 5:[1, 2], Operations: []"));
    }

    [Fact]
    public void Expansion_and_generated_node_lines()
    {
        Assert.Equal(
            ["Exploring Operation: ", "44", "*", "19", "=", "836", ", Resulting Numbers: [", "836", "]\n"],
            Texts("Exploring Operation: 44*19=836, Resulting Numbers: [836]\n"));
        Assert.Equal(
            ["Generated Node #0,", "1", ",", "0", ": ", "27", ":[", "26", ", ", "31", "] Operation: ", "53", "-", "22", "=", "31", "\n"],
            Texts("Generated Node #0,1,0: 27:[26, 31] Operation: 53-22=31\n"));
    }

    [Fact]
    public void Verdicts_moves_and_dives()
    {
        Assert.Equal(["26", ",", "27", " unequal: No Solution\n"], Texts("26,27 unequal: No Solution\n"));
        Assert.Equal(["27", ",", "27", " equal: Goal Reached\n"], Texts("27,27 equal: Goal Reached\n"));
        Assert.Equal(["Moving to Node #0\n"], Texts("Moving to Node #0\n"));
        Assert.Equal(["Moving to Node #0,", "12", ",", "3", "\n"], Texts("Moving to Node #0,12,3\n"));
        Assert.Equal(["Start Sub Search at level ", "2", ": Moving to Node #0,", "1", "\n"], Texts("Start Sub Search at level 2: Moving to Node #0,1\n"));
        Assert.Equal(["Exit Sub Search at level ", "1", "\n", "No solution found in sub search\n", "No solution found.\n"],
            Texts("Exit Sub Search at level 1\nNo solution found in sub search\nNo solution found.\n"));
    }

    [Fact]
    public void Spawn_and_join_lines()
    {
        Assert.Equal(["<Calling Sub Searches>\n"], Texts("<Calling Sub Searches>\n"));
        Assert.Equal(["<Start Sub Search ", "10", " at level ", "1", "> Moving to Node #0,", "9", "\n"],
            Texts("<Start Sub Search 10 at level 1> Moving to Node #0,9\n"));
        Assert.Equal(["<Goal Reached in Sub Search ", "3", " at level ", "1", " at Node #0,", "3", ">\n"],
            Texts("<Goal Reached in Sub Search 3 at level 1 at Node #0,3>\n"));
        Assert.Equal(["<No Solution in Sub Search ", "0", " at level ", "1", " at Node #0,", "0", ">\n", "<End Sub Searches>\n"],
            Texts("<No Solution in Sub Search 0 at level 1 at Node #0,0>\n<End Sub Searches>\n"));
        Assert.Equal(["Sub Call Budget: ", "8", " ", "Moving to Node #0\n"], Texts("Sub Call Budget: 8 Moving to Node #0\n"));
    }

    [Fact]
    public void Digit_runs_that_are_not_canonical_numbers_below_1000_go_digit_by_digit()
    {
        Assert.Equal(["0", "0", "7", " ", "1", "0", "0", "0", " ", "999", " ", "0", " ", "0", "5"], Texts("007 1000 999 0 05"));
        var ids = Tok.Encode("999");
        Assert.Single(ids);
        Assert.True(Tok.TryGetNumber(ids[0], out var value));
        Assert.Equal(999, value);
        Assert.Equal(Tok.NumberToken(999), ids[0]);
    }

    [Fact]
    public void Phrase_prefixes_fall_back_to_shorter_phrases_or_chars()
    {
        Assert.Equal(["Moving to Node #", "1", "\n"], Texts("Moving to Node #1\n"));
        Assert.Equal(["Moving to Node #", "0", "1", "\n"], Texts("Moving to Node #01\n"));
        Assert.Equal(["C", "u", "r", "r", " ", "\r", "\n"], Texts("Curr \r\n"));
    }

    [Fact]
    public void Characters_outside_ascii_are_spelled_in_utf8_bytes()
    {
        Assert.Equal(["<0xC3>", "<0xA9>", "<0xE2>", "<0x82>", "<0xAC>", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"], Texts("é€😀"));
        Assert.Equal(["<0xED>", "<0xA0>", "<0xBD>"], Texts("\uD83D")); // a lone high surrogate
    }

    [Fact]
    public void Vocabulary_layout_is_as_documented()
    {
        Assert.Equal(0, Tok.Pad);
        Assert.Equal(1, Tok.Bos);
        Assert.Equal(2, Tok.Eos);
        Assert.True(Tok.IsSpecial(0) && Tok.IsSpecial(2) && !Tok.IsSpecial(3));
        Assert.Equal("<eos>", Tok.TokenText(Tok.Eos));
        Assert.Equal("A", Tok.TokenText(3 + 'A'));
        Assert.Equal(259, Tok.NumberToken(0));
        Assert.Equal(3 + 256 + 1000 + Tok.Phrases.Count, Tok.VocabSize);
        Assert.True(Tok.VocabSize < 2000, $"vocab size {Tok.VocabSize}");
    }
}
