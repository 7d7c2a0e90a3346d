// The offline page: self-contained (no src or href, a policy that forbids every request), record strings
// cannot break out of the inlined JSON or the title, placeholders are filled once, and the readers' bad
// input is one line naming the file and line.
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Apr.Data;
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Viewing.Tests;

public sealed class ViewPageTests
{
    private const string Hostile = "</script><script>alert(1)</script><!-- /*APR:CSS*/ & \u2028";

    [Fact]
    public void The_page_is_self_contained_and_record_strings_stay_inside_the_inlined_json()
    {
        var record = ViewJsonTests.Solve();
        var hostile = record with { Id = Hostile, Calls = [record.Calls[0] with { Prompt = Hostile, Detail = Hostile }, .. record.Calls.Skip(1)] };
        var html = ViewPage.Html([(hostile, Hostile)], [Hostile], Hostile, TraceTokenizer.Default);

        Assert.Equal(3, Regex.Matches(html, "</script", RegexOptions.IgnoreCase).Count); // the page's own three scripts
        Assert.DoesNotMatch(@"\b(src|href)\s*=", html);
        Assert.Contains("default-src 'none'", html);
        Assert.DoesNotContain("/*APR:", ViewPage.Html([(record, "plain")], ["plain"], "plain", TraceTokenizer.Default)); // every placeholder filled
        Assert.Contains("<title>apr view: &lt;/script&gt;", html);
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"apr-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var data = JsonNode.Parse(json)!;
        Assert.Equal(Hostile, (string)data["title"]!);
        Assert.Equal(Hostile, (string)data["records"]![0]!["id"]!);
        Assert.Equal(Hostile, (string)data["records"]![0]!["threads"]![0]!["prompt"]!);
        Assert.Equal(Hostile, (string)data["records"]![0]!["condition"]!);
    }

    [Fact]
    public void The_shared_scripts_are_embedded_and_cannot_end_an_inline_script_early()
    {
        foreach (var name in new[] { "view.js", "view.css", "offline.js", "offline.html", "live.html", "live.js" })
            Assert.Contains(name, ViewAssets.Names);
        foreach (var name in new[] { "view.js", "offline.js", "view.css" })
            Assert.DoesNotContain("</script", ViewAssets.Text(name), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Records_of_eval_and_of_solve_with_samples_are_read_with_their_file_as_condition()
    {
        var dir = Directory.CreateTempSubdirectory("apr-view-").FullName;
        try
        {
            var record = ViewJsonTests.Solve();
            var eval = Path.Combine(dir, "apr-model-b100.jsonl");
            File.WriteAllLines(eval, [ProblemRecordJson.ToJsonLine(record), "", ProblemRecordJson.ToJsonLine(record with { Sample = 1 })]);
            var samples = Path.Combine(dir, "samples.jsonl");
            File.WriteAllText(samples, new JsonObject { ["samples"] = 2, ["records"] = new JsonArray(ProblemRecordJson.ToJson(record), ProblemRecordJson.ToJson(record with { Sample = 1 })) }.ToJsonString());
            Assert.Equal(["apr-model-b100", "apr-model-b100"], RecordFiles.Read(eval).Select(r => r.Condition));
            Assert.Equal([0, 1], RecordFiles.Read(samples).Select(r => r.Record.Sample));
            var html = Path.Combine(dir, "out.html");
            Assert.Equal(4, ViewPage.Write([eval, samples], html, TraceTokenizer.Default));
            Assert.Contains("apr-model-b100.jsonl, samples.jsonl", File.ReadAllText(html));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("{\"format\":1}", "2: not a record of apr eval or apr solve --json: record field 'method' is missing")]
    [InlineData("{not json", "2: not a record of apr eval or apr solve --json:")]
    [InlineData("[1,2]", "2: not a record of apr eval or apr solve --json: a record must be a JSON object")]
    public void A_bad_line_is_one_error_naming_the_file_and_line(string line, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"apr-view-bad-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllLines(path, [ProblemRecordJson.ToJsonLine(ViewJsonTests.Solve()), line]);
            var e = Assert.Throws<DataException>(() => RecordFiles.Read(path));
            Assert.StartsWith($"{path}:{expected}", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_or_empty_file_says_which()
    {
        Assert.Equal("records file '/nonexistent/x.jsonl' does not exist", Assert.Throws<DataException>(() => RecordFiles.Read("/nonexistent/x.jsonl")).Message);
        var empty = Path.GetTempFileName();
        try { Assert.Contains("holds no records", Assert.Throws<DataException>(() => RecordFiles.Read(empty)).Message); }
        finally { File.Delete(empty); }
    }
}
