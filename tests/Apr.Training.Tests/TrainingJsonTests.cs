// The training run's JSON files are typed (TrainingJson, source-generated): state.json and metrics.jsonl
// lines round-trip, keep their field names and order, and a damaged line is an error naming the file
// and line.
using Apr.Training;

namespace Apr.Training.Tests;

public sealed class TrainingJsonTests
{
    private static SftStepRecord Step(int step, double? val = null) =>
        new(step, 10, 0, 1.23456789 / step, val, 1e-3, 0.5, 100 * step, 12.34, TimeSpan.FromSeconds(1.5 * step), TimeSpan.Zero);

    [Fact]
    public void State_round_trips_and_reads_states_written_before_batch_tokens()
    {
        var state = new TrainingState(12, 1, 3, 7, 4096, 12.5) { BatchTokens = 8192 };
        var json = state.ToJson();
        Assert.Contains("\"batch_in_epoch\": 3", json);
        Assert.Equal(state, TrainingState.FromJson(json));
        var old = TrainingState.FromJson("{\"step\":5,\"epoch\":0,\"batch_in_epoch\":5,\"seed\":1,\"tokens_seen\":10,\"elapsed_seconds\":1.0}"); // no batch_tokens, no format_version: format 1;
        Assert.Null(old.BatchTokens);
        Assert.Equal(5, old.Step);
        Assert.Equal(1, old.FormatVersion);
        Assert.Throws<InvalidDataException>(() => TrainingState.FromJson("{\"step\":\"five\"}"));
    }

    [Fact]
    public void Metrics_lines_keep_their_format_and_read_back_typed()
    {
        var dir = Directory.CreateTempSubdirectory("apr-metrics-").FullName;
        try
        {
            var log = new MetricsLog(Path.Combine(dir, "metrics.jsonl"));
            log.Append(Step(1));
            log.Append(Step(2, val: 0.9876543));
            log.Append(Step(3));
            var lines = File.ReadAllLines(log.Path);
            Assert.Equal("{\"step\":1,\"epoch\":0,\"loss\":1.234568,\"lr\":0.001,\"grad_norm\":0.5,\"tokens\":100,\"tokens_per_s\":12.3,\"elapsed_s\":1.5}", lines[0]);
            Assert.EndsWith(",\"val_loss\":0.987654}", lines[1]);
            var typed = log.Lines().ToList();
            Assert.Equal([1, 2, 3], typed.Select(l => l.Record.Step));
            Assert.Equal(lines, typed.Select(l => l.Text));
            Assert.Equal(0.987654, typed[1].Record.ValLoss);
            var (train, val) = log.Curves();
            Assert.Equal(3, train.Count);
            Assert.Equal([(2, 0.987654)], val);
            log.TruncateAfter(2);
            Assert.Equal(lines[..2], File.ReadAllLines(log.Path));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_damaged_metrics_line_is_an_error_naming_file_and_line()
    {
        var dir = Directory.CreateTempSubdirectory("apr-metrics-").FullName;
        try
        {
            var log = new MetricsLog(Path.Combine(dir, "metrics.jsonl"));
            log.Append(Step(1));
            File.AppendAllText(log.Path, "{\"step\":2,\"loss\":\n");
            var e = Assert.Throws<InvalidDataException>(() => log.Curves());
            Assert.Contains($"{log.Path}:2", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
