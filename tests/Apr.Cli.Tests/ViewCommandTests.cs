// `apr view` and `--otlp-endpoint` from the command line: a page written from a committed eval records
// file, and bad input (a missing file, a malformed record, an output that is an input, an endpoint that is
// not a URL) as one line naming the problem and the value, with the documented exit code.
using Apr.Testing;

namespace Apr.Cli.Tests;

public sealed class ViewCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-view-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_committed_eval_records_file_becomes_one_html_file()
    {
        var records = Path.Combine(TestPaths.RepoRoot, "bench", "results", "eval", "frontier", "records", "sosp-model-told-b1000.jsonl");
        var html = Path.Combine(_dir, "view.html");
        var run = CliRunner.Run("view", records, "--out", html);
        Assert.True(run.ExitCode == 0, run.Err);
        int lines = File.ReadLines(records).Count(l => l.Length > 0);
        Assert.Contains($"apr view: {lines} record(s) from 1 file(s) -> {html}", run.Out);
        Assert.Contains("\"condition\":\"sosp-model-told-b1000\"", File.ReadAllText(html));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Bad_input_is_one_line_naming_the_file_or_value()
    {
        var missing = CliRunner.Run("view", Path.Combine(_dir, "nope.jsonl"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal([$"apr: error: records file '{Path.Combine(_dir, "nope.jsonl")}' does not exist"], missing.ErrLines);

        var bad = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllText(bad, "\n{\"format\":1,\"id\":\"x\"}\n");
        var malformed = CliRunner.Run("view", bad);
        Assert.Equal(1, malformed.ExitCode);
        Assert.Equal([$"apr: error: {bad}:2: not a record of apr eval or apr solve --json: record field 'method' is missing"], malformed.ErrLines);
        Assert.False(File.Exists(Path.ChangeExtension(bad, ".html")));

        var self = CliRunner.Run("view", bad, "--out", bad);
        Assert.Equal(2, self.ExitCode);
        Assert.Single(self.ErrLines);
        Assert.Contains("is one of the inputs", self.Err);

        var problems = Path.Combine(_dir, "p.jsonl");
        File.WriteAllText(problems, "{\"id\": \"a\", \"target\": 24, \"nums\": [2, 3, 4, 1]}\n");
        foreach (var verb in new[] { "solve --target 24 --nums 2,3,4,1", $"eval --problems {problems}", "serve" })
        {
            var run = CliRunner.Run([.. verb.Split(' '), "--otlp-endpoint", "localhost:4317"]);
            Assert.Equal(2, run.ExitCode);
            Assert.Single(run.ErrLines);
            Assert.Contains("--otlp-endpoint: an OTLP endpoint is an http(s) URL", run.Err);
            Assert.Contains("'localhost:4317'", run.Err);
        }
    }
}
