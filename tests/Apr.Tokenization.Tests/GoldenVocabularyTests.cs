// The default vocabulary as a golden file (Golden/default-tokenizer.json): any change to the built-in
// phrases or layout shows up as a readable diff and a failing test, because a model trained with one
// vocabulary reads garbage through another. To accept a deliberate change, copy the actual file named in
// the failure message over the golden one (and say so in the commit).
namespace Apr.Tokenization.Tests;

public sealed class GoldenVocabularyTests
{
    [Fact]
    public void Default_vocabulary_matches_the_golden_file()
    {
        var goldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "default-tokenizer.json");
        var actual = TraceTokenizer.Default.ToJson();
        var golden = File.Exists(goldenPath) ? File.ReadAllText(goldenPath) : "(missing)";
        if (golden == actual) return;
        var actualPath = Path.Combine(Path.GetTempPath(), "default-tokenizer.actual.json");
        File.WriteAllText(actualPath, actual);
        Assert.Fail($"the default vocabulary differs from {goldenPath}; the actual one is in {actualPath}");
    }

    [Fact]
    public void Golden_file_loads_into_a_tokenizer_that_encodes_like_the_default()
    {
        var golden = TraceTokenizer.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "default-tokenizer.json")));
        const string line = "Generated Node #0,2: 42:[38, 11, 14] Operation: 44-30=14\n";
        Assert.Equal(TraceTokenizer.Default.Encode(line), golden.Encode(line));
    }
}
