// Golden files for what people read from the command line (Golden/): `apr --help`, `apr solve --help`,
// `apr solve` text with the shipped APR model, one `apr solve --json` record (shipped SoS+ model, pretty-
// printed), and the report.md of a tiny `apr eval` (3 problems, symbolic conditions only). Greedy decoding
// is deterministic, so only wall-clock figures are masked ("# ms", "_ms" fields, the seconds column) and
// the run's temporary paths and command line. A change shows up as a line diff; to accept one:
//   APR_UPDATE_GOLDEN=1 dotnet test tests/Apr.Cli.Tests --filter "FullyQualifiedName~GoldenOutputTests"
// then review `git diff tests/Apr.Cli.Tests/Golden`. The model outputs were made on this project's 2-core
// x86-64 CPU; other hardware could round a near-tie differently and show a different tree.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apr.Testing;

namespace Apr.Cli.Tests;

public sealed partial class GoldenOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-golden-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Help_matches_the_golden_file() => GoldenFile.Check("help.txt", Ok(CliRunner.Run("--help")));

    [Fact]
    public void Solve_help_matches_the_golden_file() => GoldenFile.Check("solve-help.txt", Ok(CliRunner.Run("solve", "--help")));

    [Slow]
    [Fact]
    public void Solve_text_with_the_shipped_model_matches_the_golden_file()
    {
        var text = Ok(CliRunner.Run("solve", "--target", "27", "--nums", "22,26,31,53"));
        GoldenFile.Check("solve-27.txt", Milliseconds().Replace(text, "# ms"));
    }

    [Slow]
    [Fact]
    public void Solve_json_record_matches_the_golden_file()
    {
        var json = Ok(CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--method", "sosp", "--json"));
        var record = JsonNode.Parse(json)!;
        MaskTimes(record);
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        GoldenFile.Check("solve-24-sosp.json", record.ToJsonString(options) + "\n");
    }

    [Slow]
    [Fact]
    public void Eval_report_of_three_problems_matches_the_golden_file()
    {
        var problems = GoldenFile.PathOf("eval-problems.jsonl");
        var outDir = Path.Combine(_dir, "eval");
        Ok(CliRunner.Run("eval", "--problems", problems, "--limit", "3", "--sweep", "greedy", "--conditions", "symbolic", "--out", outDir));
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"))
            .Replace(outDir, "<out>")
            .Replace(problems, "<problems>")
            .Replace(Path.GetRelativePath(Environment.CurrentDirectory, problems), "<problems>")
            .Replace(Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(TestPaths.RepoRoot, "models")), "models");
        // The report quotes the process's command line, here the test host's, so that line is masked too.
        report = CommandLine().Replace(report, "`apr <command line>`");
        GoldenFile.Check("eval-report.md", MaskSecondsColumn(report));
    }

    private static string Ok(CliRun run)
    {
        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}: {run.Err}");
        return run.Out;
    }

    // Every "…_ms" field (latency_ms, start_ms, end_ms) becomes "masked", at any depth.
    private static void MaskTimes(JsonNode? node)
    {
        if (node is JsonObject o)
            foreach (var key in o.Select(kv => kv.Key).ToList())
            {
                if (key.EndsWith("_ms", StringComparison.Ordinal)) o[key] = "masked";
                else MaskTimes(o[key]);
            }
        else if (node is JsonArray a)
            foreach (var item in a) MaskTimes(item);
    }

    // The last cell of the conditions table ("seconds") becomes "#".
    private static string MaskSecondsColumn(string report)
    {
        var lines = report.Split('\n');
        var inTable = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("| condition |", StringComparison.Ordinal)) { inTable = lines[i].EndsWith("| seconds |", StringComparison.Ordinal); continue; }
            if (!lines[i].StartsWith('|')) inTable = false;
            else if (inTable && !lines[i].StartsWith("| ---", StringComparison.Ordinal))
                lines[i] = lines[i][..lines[i].TrimEnd('|').TrimEnd().LastIndexOf('|')] + "| # |";
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^`apr .*`$", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"\d+(-\d+)? ms\b")]
    private static partial Regex Milliseconds();
}
