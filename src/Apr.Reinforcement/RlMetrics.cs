// RlMetrics: an RL run's metrics.jsonl: one line per step ("kind":"step") and per validation pass
// ("kind":"val"), snake_case, appended and flushed as the run goes; on resume the lines after the
// checkpoint's step are dropped (rewritten atomically) so the log matches the weights. Typed JSON
// (source-generated, RlJson); a line that is neither record is an error naming the file and line.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Apr.Core;

namespace Apr.Reinforcement;

public sealed class RlMetrics
{
    private readonly string _path;

    public RlMetrics(string path)
    {
        _path = path;
        if (!File.Exists(path)) return;
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var kind = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                if (kind == "step") Steps.Add(doc.RootElement.Deserialize(RlJson.Compact.RlStepRecord)!);
                else if (kind == "val") Validations.Add(doc.RootElement.Deserialize(RlJson.Compact.RlValRecord)!);
                else throw new InvalidDataException($"{path}:{number}: not an RL metrics line (\"kind\" must be \"step\" or \"val\")");
            }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{number}: not an RL metrics line ({e.Message})", e); }
        }
    }

    /// <summary>True when <paramref name="path"/>'s first record is an RL line (it has a "kind"); false for an SFT log or an empty file.</summary>
    public static bool IsRlLog(string path)
    {
        var first = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
        if (first is null) return false;
        try { return JsonNode.Parse(first, documentOptions: Core.Json.Strict) is JsonObject o && o.ContainsKey("kind"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}:1: not valid JSON ({e.Message})", e); }
    }

    public List<RlStepRecord> Steps { get; } = [];
    public List<RlValRecord> Validations { get; } = [];

    /// <summary>Drops every record after <paramref name="step"/> (a resumed run repeats them).</summary>
    public void TruncateAfter(int step)
    {
        Steps.RemoveAll(s => s.Step > step);
        Validations.RemoveAll(v => v.Step > step);
        var lines = Steps.Select(Line).Concat(Validations.Select(Line)).ToList();
        AtomicFile.Write(_path, stream =>
        {
            using var w = new StreamWriter(stream, leaveOpen: true);
            foreach (var l in lines) w.Write(l + "\n");
        });
    }

    public void Append(RlStepRecord record)
    {
        Steps.Add(record);
        File.AppendAllText(_path, Line(record) + "\n");
    }

    public void Append(RlValRecord record)
    {
        Validations.Add(record);
        File.AppendAllText(_path, Line(record) + "\n");
    }

    private static string Line(RlStepRecord record) => Line("step", JsonSerializer.SerializeToNode(record, RlJson.Compact.RlStepRecord)!);

    private static string Line(RlValRecord record) => Line("val", JsonSerializer.SerializeToNode(record, RlJson.Compact.RlValRecord)!);

    /// <summary>The record's JSON with "kind" first.</summary>
    private static string Line(string kind, JsonNode record)
    {
        var node = record.AsObject();
        node.Insert(0, "kind", kind);
        return node.ToJsonString(RlJson.Compact.Options);
    }
}

[JsonSerializable(typeof(RlStepRecord))]
[JsonSerializable(typeof(RlValRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class RlJson : JsonSerializerContext
{
    /// <summary>One-line snake_case JSON with the relaxed encoder of Core's Json.</summary>
    public static RlJson Compact { get; } = new(new JsonSerializerOptions(Json.Serializer) { WriteIndented = false });
}
