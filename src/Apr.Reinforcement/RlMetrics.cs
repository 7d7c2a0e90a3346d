// RlMetrics: an RL run's metrics.jsonl: one line per step ("kind":"step") and per validation pass
// ("kind":"val"), snake_case, appended and flushed as the run goes; on resume the lines after the
// checkpoint's step are dropped (rewritten atomically) so the log matches the weights.
using System.Text.Json;
using Apr.Core;
using Apr.Data;

namespace Apr.Reinforcement;

public sealed class RlMetrics
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly string _path;

    public RlMetrics(string path)
    {
        _path = path;
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var kind = doc.RootElement.GetProperty("kind").GetString();
            if (kind == "step") Steps.Add(doc.RootElement.Deserialize<RlStepRecord>(Json)!);
            else if (kind == "val") Validations.Add(doc.RootElement.Deserialize<RlValRecord>(Json)!);
        }
    }

    public List<RlStepRecord> Steps { get; } = [];
    public List<RlValRecord> Validations { get; } = [];

    /// <summary>Drops every record after <paramref name="step"/> (a resumed run repeats them).</summary>
    public void TruncateAfter(int step)
    {
        Steps.RemoveAll(s => s.Step > step);
        Validations.RemoveAll(v => v.Step > step);
        var lines = Steps.Select(s => Line("step", s)).Concat(Validations.Select(v => Line("val", v))).ToList();
        AtomicFile.Write(_path, stream =>
        {
            using var w = new StreamWriter(stream, leaveOpen: true);
            foreach (var l in lines) w.Write(l + "\n");
        });
    }

    public void Append(RlStepRecord record)
    {
        Steps.Add(record);
        File.AppendAllText(_path, Line("step", record) + "\n");
    }

    public void Append(RlValRecord record)
    {
        Validations.Add(record);
        File.AppendAllText(_path, Line("val", record) + "\n");
    }

    private static string Line<T>(string kind, T record)
    {
        var node = JsonSerializer.SerializeToNode(record, Json)!.AsObject();
        node.Insert(0, "kind", kind);
        return node.ToJsonString();
    }
}
