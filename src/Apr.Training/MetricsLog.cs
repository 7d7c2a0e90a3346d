// Training metrics as JSON lines (one per step, snake_case), and the loss curves they hold. On resume, lines
// after the resumed step are dropped so the file reads as one uninterrupted run.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        var kept = File.ReadLines(Path).Where(l => !string.IsNullOrWhiteSpace(l) && JsonNode.Parse(l)!["step"]!.GetValue<int>() <= step).ToList();
        AtomicFile.WriteAllText(Path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
    }

    public void Append(SftStepRecord r)
    {
        var o = new JsonObject
        {
            ["step"] = r.Step,
            ["epoch"] = r.Epoch,
            ["loss"] = Math.Round(r.Loss, 6),
            ["lr"] = r.Lr,
            ["grad_norm"] = Math.Round(r.GradNorm, 6),
            ["tokens"] = r.Tokens,
            ["tokens_per_s"] = Math.Round(r.TokensPerSecond, 1),
            ["elapsed_s"] = Math.Round(r.Elapsed.TotalSeconds, 3),
        };
        if (r.ValLoss is { } v) o["val_loss"] = Math.Round(v, 6);
        File.AppendAllText(Path, o.ToJsonString() + "\n");
    }

    /// <summary>(step, loss) and (step, val_loss) series read back from the file.</summary>
    public (List<(int Step, double Loss)> Train, List<(int Step, double Loss)> Val) Curves()
    {
        var train = new List<(int, double)>();
        var val = new List<(int, double)>();
        if (!File.Exists(Path)) return (train, val);
        foreach (string line in File.ReadLines(Path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var o = JsonNode.Parse(line)!;
            int step = o["step"]!.GetValue<int>();
            train.Add((step, o["loss"]!.GetValue<double>()));
            if (o["val_loss"] is { } v) val.Add((step, v.GetValue<double>()));
        }
        return (train, val);
    }

    internal static string Format(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
