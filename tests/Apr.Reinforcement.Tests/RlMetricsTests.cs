// An RL run's metrics.jsonl is typed (RlJson, source-generated): step and validation lines round-trip
// with their "kind" first, a resumed run's truncation keeps the lines before it byte for byte, and a
// damaged line is an error naming the file and line.
using Apr.Reinforcement;

namespace Apr.Reinforcement.Tests;

public sealed class RlMetricsTests
{
    private static RlStepRecord Step(int s) => new(s, 4, 0.5, 0.5, 2000.5, 900.25, 3.5, 20, 4000, 0.01, 0.002, 0.01, 0.07, 3e-4, 23.1, 116.4, 180.2 * s);

    [Fact]
    public void Lines_round_trip_and_truncation_keeps_earlier_lines()
    {
        var dir = Directory.CreateTempSubdirectory("apr-rl-metrics-").FullName;
        try
        {
            var path = Path.Combine(dir, "metrics.jsonl");
            var log = new RlMetrics(path);
            log.Append(new RlValRecord(0, 50, 0.22, 4586.5, 1290.56, 8.4, 39.9));
            log.Append(Step(1));
            log.Append(Step(2));
            var lines = File.ReadAllLines(path);
            Assert.StartsWith("{\"kind\":\"val\",\"step\":0,\"problems\":50,\"accuracy\":0.22,", lines[0]);
            Assert.StartsWith("{\"kind\":\"step\",\"step\":1,\"total_steps\":4,\"reward\":0.5,", lines[1]);
            Assert.True(RlMetrics.IsRlLog(path));

            var back = new RlMetrics(path);
            Assert.Equal([Step(1), Step(2)], back.Steps);
            Assert.Equal(0.22, Assert.Single(back.Validations).Accuracy);
            back.TruncateAfter(1);
            Assert.Equal(lines[1..2].Concat(lines[..1]), File.ReadAllLines(path)); // steps first, then validations
            Assert.Single(new RlMetrics(path).Steps);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("{\"kind\":\"step\",\"step\":\"one\"}")]
    [InlineData("{\"kind\":\"other\"}")]
    [InlineData("not json")]
    public void A_damaged_line_is_an_error_naming_file_and_line(string bad)
    {
        var dir = Directory.CreateTempSubdirectory("apr-rl-metrics-").FullName;
        try
        {
            var path = Path.Combine(dir, "metrics.jsonl");
            new RlMetrics(path).Append(Step(1));
            File.AppendAllText(path, bad + "\n");
            var e = Assert.Throws<InvalidDataException>(() => new RlMetrics(path));
            Assert.Contains($"{path}:2", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void An_sft_log_is_not_an_rl_log()
    {
        var path = Path.Combine(Path.GetTempPath(), $"apr-sft-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, "{\"step\":1,\"epoch\":0,\"loss\":1.5}\n");
        try { Assert.False(RlMetrics.IsRlLog(path)); }
        finally { File.Delete(path); }
    }
}
