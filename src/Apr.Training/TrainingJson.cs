// TrainingJson: the typed JSON of a training run's files, source-generated (System.Text.Json): the
// checkpoint's state.json (TrainingState), one metrics.jsonl line (SftMetricLine) and the run lock
// (RunLockOwner). Snake_case names, the relaxed encoder of Core's Json (these files are data, never
// HTML). A reader that gets something else throws JsonException; the callers name the file.
using System.Text.Json;
using System.Text.Json.Serialization;
using Apr.Core;

namespace Apr.Training;

/// <summary>One line of an SFT run's metrics.jsonl (as written: losses rounded to 6 digits, throughput to 0.1).</summary>
public sealed record SftMetricLine(
    int Step, int Epoch, double Loss, double Lr, double GradNorm, long Tokens, double TokensPerS, double ElapsedS,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValLoss = null)
{
    /// <summary>The line of a finished step.</summary>
    public static SftMetricLine Of(SftStepRecord r) => new(
        r.Step, r.Epoch, Math.Round(r.Loss, 6), r.Lr, Math.Round(r.GradNorm, 6), r.Tokens,
        Math.Round(r.TokensPerSecond, 1), Math.Round(r.Elapsed.TotalSeconds, 3), r.ValLoss is { } v ? Math.Round(v, 6) : null);
}

/// <summary>Who holds a run lock (the lock file's content; fields are null when a damaged file lacks them).</summary>
public sealed record RunLockOwner(int? Pid, [property: JsonPropertyName("started_utc_ticks")] long? StartedTicks, string? Host, string? Command);

[JsonSerializable(typeof(TrainingState))]
[JsonSerializable(typeof(SftMetricLine))]
[JsonSerializable(typeof(RunLockOwner))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.Strict)]
public sealed partial class TrainingJson : JsonSerializerContext
{
    /// <summary>One-line JSON (metrics lines, the lock).</summary>
    public static TrainingJson Compact { get; } = new(new JsonSerializerOptions(Json.Serializer) { WriteIndented = false });

    /// <summary>Indented JSON (state.json).</summary>
    public static TrainingJson Indented { get; } = new(new JsonSerializerOptions(Json.Serializer));
}
