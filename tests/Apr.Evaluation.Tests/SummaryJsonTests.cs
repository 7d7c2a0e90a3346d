// summary.json is typed (EvalSummary, source-generated JSON): every committed summary under
// bench/results/eval reads back and writes the same text, so the type holds every field in its order;
// a file that is not a summary is an error naming it.
using Apr.Evaluation;
using Apr.Testing;

namespace Apr.Evaluation.Tests;

public sealed class SummaryJsonTests
{
    public static TheoryData<string> CommittedSummaries()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "bench", "results", "eval"), "summary.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(TestPaths.RepoRoot, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(CommittedSummaries))]
    public void Committed_summaries_round_trip_byte_for_byte(string relative)
    {
        var path = Path.Combine(TestPaths.RepoRoot, relative);
        var text = File.ReadAllText(path);
        var summary = EvalSummary.Read(path);
        Assert.NotEmpty(summary.Conditions);
        Assert.Equal(text, summary.ToJson() + "\n");
    }

    [Fact]
    public void There_are_committed_summaries_to_check() => Assert.True(CommittedSummaries().Count >= 5);

    [Fact]
    public void A_file_that_is_not_a_summary_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"apr-summary-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"conditions\": 3}");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => EvalSummary.Read(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("not an `apr eval` summary", e.Message);
        }
        finally { File.Delete(path); }
    }
}
