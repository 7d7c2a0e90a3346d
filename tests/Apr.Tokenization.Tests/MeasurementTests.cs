// Characters per token on the reference traces (asserted: at least 4, the target). Encode and decode
// speed are measured by bench/Apr.Bench.Text, not here. See the ratios with
//   dotnet test tests/Apr.Tokenization.Tests --logger "console;verbosity=detailed"
using Xunit.Abstractions;

namespace Apr.Tokenization.Tests;

public sealed class MeasurementTests(ITestOutputHelper output)
{
    private static readonly TraceTokenizer Tok = TraceTokenizer.Default;

    [Fact]
    public void Reference_traces_take_at_least_four_characters_per_token()
    {
        foreach (var (name, texts) in new[] { ("SoS+ search_path", ReferenceTraces.SosPlus), ("APR calls", ReferenceTraces.AprCalls) })
        {
            long chars = texts.Sum(t => (long)t.Length);
            long tokens = texts.Sum(t => (long)Tok.CountTokens(t));
            var ratio = (double)chars / tokens;
            output.WriteLine($"{name}: {texts.Count} texts, {chars:N0} chars, {tokens:N0} tokens, {ratio:F3} chars/token, vocab {Tok.VocabSize}");
            Assert.True(ratio >= 4.0, $"{name}: {ratio:F3} chars/token");
        }
    }
}
