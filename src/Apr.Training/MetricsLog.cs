// Training metrics as JSON lines (one SftMetricLine per step, snake_case, source-generated JSON), and the
// loss curves they hold. On resume, lines after the resumed step are dropped so the file reads as one
// uninterrupted run. A line that is not a metrics line is an error naming the file and line.
using System.Globalization;
using System.Text.Json;
using Apr.Core;

namespace Apr.Training;

/// <summary>Appends step records to metrics.jsonl.</summary>
public sealed class MetricsLog(string path)
{
    public string Path { get; } = path;

    /// <summary>Keeps only records with step &lt;= <paramref name="step"/> (0 clears the file).</summary>
    public void TruncateAfter(int step)
    {
        if (!File.Exists(Path)) return;
        var kept = Lines().Where(l => l.Record.Step <= step).Select(l => l.Text).ToList();
        AtomicFile.WriteAllText(Path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
    }

    public void Append(SftStepRecord r) => File.AppendAllText(Path, JsonSerializer.Serialize(SftMetricLine.Of(r), TrainingJson.Compact.SftMetricLine) + "\n");

    /// <summary>Every line of the file, typed (none when it does not exist).</summary>
    public IEnumerable<(SftMetricLine Record, string Text)> Lines()
    {
        if (!File.Exists(Path)) yield break;
        int number = 0;
        foreach (string line in File.ReadLines(Path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            SftMetricLine? record;
            try { record = JsonSerializer.Deserialize(line, TrainingJson.Compact.SftMetricLine); }
            catch (JsonException e) { throw new InvalidDataException($"{Path}:{number}: not a training metrics line ({e.Message})", e); }
            yield return (record ?? throw new InvalidDataException($"{Path}:{number}: null instead of a training metrics line"), line);
        }
    }

    /// <summary>(step, loss) and (step, val_loss) series read back from the file.</summary>
    public (List<(int Step, double Loss)> Train, List<(int Step, double Loss)> Val) Curves()
    {
        var train = new List<(int, double)>();
        var val = new List<(int, double)>();
        foreach (var (r, _) in Lines())
        {
            train.Add((r.Step, r.Loss));
            if (r.ValLoss is { } v) val.Add((r.Step, v));
        }
        return (train, val);
    }

    internal static string Format(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
