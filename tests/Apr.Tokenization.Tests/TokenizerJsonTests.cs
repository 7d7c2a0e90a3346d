// The vocabulary file: a round trip gives the same tokenizer, and each kind of damage gives a
// FormatException that says what is wrong.
using System.Text.Json.Nodes;

namespace Apr.Tokenization.Tests;

public sealed class TokenizerJsonTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    [Fact]
    public void Round_trip_gives_an_identical_tokenizer()
    {
        var json = Tok.ToJson();
        var back = TraceTokenizer.FromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(Tok.VocabSize, back.VocabSize);
        Assert.Equal(Tok.NumberCount, back.NumberCount);
        Assert.Equal(Tok.Phrases, back.Phrases);
        for (var id = 0; id < Tok.VocabSize; id++) Assert.Equal(Tok.TokenText(id), back.TokenText(id));
        foreach (var trace in ReferenceTraces.SosPlus) Assert.Equal(Tok.Encode(trace), back.Encode(trace));
    }

    [Fact]
    public void The_file_is_small_readable_and_versioned()
    {
        var json = Tok.ToJson();
        Assert.True(json.Length < 40_000, $"{json.Length} chars");
        Assert.Contains("\"format_version\": 1", json);
        Assert.Contains("\"<Calling Sub Searches>\\n\"", json); // no \u003C escapes
    }

    [Fact]
    public void A_custom_vocabulary_round_trips()
    {
        var tok = TraceTokenizer.Create(["Hello, ", "world\n"], numberCount: 100);
        var back = TraceTokenizer.FromJson(tok.ToJson());
        Assert.Equal(3 + 256 + 100 + 2, back.VocabSize);
        Assert.Equal(["Hello, ", "99", " ", "1", "0", "0", "world\n"], back.Encode("Hello, 99 100world\n").Select(back.TokenText));
    }

    [Theory]
    [InlineData("format_version", "2", "this build reads version 1")]
    [InlineData("format", "\"bpe\"", "\"format\"")]
    [InlineData("vocab_size", "1299", "vocab_size")]
    [InlineData("special_ids", "{\"pad\": 0, \"bos\": 2, \"eos\": 1}", "special_ids.bos is 2, expected 1")]
    [InlineData("number_ids", "{\"first\": 259, \"count\": 5}", "number_ids.count is 5")]
    [InlineData("byte_ids", "{\"first\": 3}", "missing \"byte_ids.count\"")]
    [InlineData("phrase_ids", "7", "\"phrase_ids\" is Number, expected an object")]
    public void A_damaged_field_is_named_in_the_error(string field, string value, string expected)
    {
        var node = JsonNode.Parse(Tok.ToJson())!.AsObject();
        node[field] = JsonNode.Parse(value);
        var e = Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(node.ToJsonString()));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Damaged_token_lists_are_rejected_with_the_index()
    {
        var node = JsonNode.Parse(Tok.ToJson())!.AsObject();
        node["tokens"]![300] = "42"; // id 300 is the number 41
        var e = Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(node.ToJsonString()));
        Assert.Contains("tokens[300] is \"42\", expected \"41\"", e.Message);

        node = JsonNode.Parse(Tok.ToJson())!.AsObject();
        node["tokens"]![Tok.VocabSize - 1] = "bad\nphrase";
        e = Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(node.ToJsonString()));
        Assert.Contains("newline only as the last char", e.Message);

        node = JsonNode.Parse(Tok.ToJson())!.AsObject();
        node["tokens"]![Tok.VocabSize - 1] = node["tokens"]![Tok.VocabSize - 2]!.GetValue<string>();
        e = Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(node.ToJsonString()));
        Assert.Contains("duplicates", e.Message);

        node = JsonNode.Parse(Tok.ToJson())!.AsObject();
        node["tokens"]!.AsArray().RemoveAt(5);
        e = Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(node.ToJsonString()));
        Assert.Contains("length of \"tokens\"", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"format\": \"apr-trace-tokenizer\"}")]
    public void Truncated_or_foreign_files_give_a_format_exception(string json)
    {
        var e = Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(json));
        Assert.StartsWith("tokenizer JSON", e.Message);
    }

    [Fact]
    public void Truncating_the_real_file_anywhere_gives_a_format_exception()
    {
        var json = Tok.ToJson();
        for (var cut = 0; cut < json.Length - 2; cut += 97)
            Assert.Throws<FormatException>(() => TraceTokenizer.FromJson(json[..cut]));
    }

    [Fact]
    public void Bad_phrases_are_rejected_by_create()
    {
        Assert.Throws<ArgumentException>(() => TraceTokenizer.Create(["a\nb"]));
        Assert.Throws<ArgumentException>(() => TraceTokenizer.Create(["x"]));
        Assert.Throws<ArgumentException>(() => TraceTokenizer.Create(["1,"]));
        Assert.Throws<ArgumentException>(() => TraceTokenizer.Create(["#0"]));
        Assert.Throws<ArgumentException>(() => TraceTokenizer.Create(["caf\u00e9"]));
        Assert.Throws<ArgumentException>(() => TraceTokenizer.Create(["ab", "ab"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TraceTokenizer.Create(["ab"], numberCount: 9));
    }
}
