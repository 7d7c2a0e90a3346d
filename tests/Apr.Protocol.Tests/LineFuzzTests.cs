// Input fuzzing (issue 16) of the line parser and the grammar with CsCheck: damaged copies of real trace
// lines never make TraceLineParser.TryParse throw, and a thread grammar fed a damaged completion fails
// only with a ProtocolException. (FuzzTests corrupts whole trees for the validator.)
using Apr.Testing;
using CsCheck;

namespace Apr.Protocol.Tests;

public sealed class LineFuzzTests
{
    private static readonly string[] TraceLines =
        [.. ReferenceSamples.Sos.Concat(ReferenceSamples.Apr).Take(20).SelectMany(s => s.Tree.Calls).SelectMany(c => c.Text.Split('\n')).Where(l => l.Length > 0).Distinct().Take(400)];

    [Fact]
    public void The_line_parser_never_throws() =>
        Mutations.Of(TraceLines).Fuzz(line =>
        {
            bool ok = TraceLineParser.TryParse(line, out var parsed, out var error);
            Assert.True(ok ? parsed is not null : error is not null);
        }, iter: Mutations.Iterations);

    [Fact]
    public void A_grammar_fed_a_damaged_completion_fails_only_with_a_protocol_error()
    {
        // Each seed is one call's prompt and completion joined by U+0001 (not in the mutation alphabet).
        var calls = ReferenceSamples.Sos.Take(10).SelectMany(s => s.Tree.Calls).Select(c => c.Prompt + "\u0001" + c.Completion).ToArray();
        Mutations.Of(calls).Fuzz(text =>
        {
            var parts = text.Split('\u0001');
            if (parts.Length != 2) return; // the separator was cut away
            try
            {
                var grammar = ThreadGrammar.Start(parts[0], GrammarSettings.SosPlus);
                foreach (var line in parts[1].Split('\n').SkipLast(1)) grammar.Advance(line + "\n");
            }
            catch (ProtocolException e) { Assert.False(string.IsNullOrEmpty(e.Message)); }
        }, iter: Mutations.Iterations);
    }
}
