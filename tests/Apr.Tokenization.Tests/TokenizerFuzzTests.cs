// Input fuzzing (issue 16) of the tokenizer with CsCheck: any string round-trips through Encode/Decode
// (the tokenizer is lossless, lone surrogates included) and counts as many tokens as it encodes to; a
// damaged tokenizer file either reads or fails with a FormatException, never another exception.
using Apr.Testing;
using CsCheck;

namespace Apr.Tokenization.Tests;

public sealed class TokenizerFuzzTests
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    [Fact]
    public void Any_string_round_trips_and_is_counted_as_encoded() =>
        Gen.OneOf(Gen.String, Gen.String[Gen.Char["0123456789, :[]#\n<>+-*/=Node"], 0, 200]).Fuzz(text =>
        {
            var ids = Tok.Encode(text);
            Assert.Equal(text, Tok.Decode(ids));
            Assert.Equal(ids.Length, Tok.CountTokens(text));
        }, iter: Mutations.Iterations);

    [Fact]
    public void A_damaged_tokenizer_file_reads_or_fails_with_a_format_error() =>
        Mutations.Of([Tok.ToJson()]).Fuzz(json =>
        {
            try { TraceTokenizer.FromJson(json); }
            catch (FormatException e) { Assert.False(string.IsNullOrEmpty(e.Message)); }
        }, iter: Math.Max(1, Mutations.Iterations / 10)); // each input is the whole 1,300-token vocabulary
}
