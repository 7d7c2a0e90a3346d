// Characters per token on the reference traces (asserted: at least 4, the target) and encode speed
// (printed only: never a timed assertion). See the numbers with
//   dotnet test tests/Apr.Tokenization.Tests --logger "console;verbosity=detailed"
using System.Diagnostics;
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

    [Fact]
    public void Encode_speed_is_printed()
    {
        var corpus = string.Concat(Enumerable.Repeat(string.Concat(ReferenceTraces.All), 6)); // ~8M ASCII chars
        var ids = new List<int>(corpus.Length / 3);
        double best = 0;
        for (var round = 0; round < 4; round++)
        {
            ids.Clear();
            var watch = Stopwatch.StartNew();
            Tok.Encode(corpus, ids);
            watch.Stop();
            best = Math.Max(best, corpus.Length / watch.Elapsed.TotalSeconds / 1e6);
        }
        var decodeWatch = Stopwatch.StartNew();
        var text = Tok.Decode(ids.ToArray());
        decodeWatch.Stop();
        Assert.Equal(corpus.Length, text.Length);
        output.WriteLine($"encode: {best:F1} MB/s of trace text (best of 4 over {corpus.Length / 1e6:F1} MB, one thread); " +
                         $"decode: {corpus.Length / decodeWatch.Elapsed.TotalSeconds / 1e6:F1} MB/s");
    }
}
