// The non-tensor part of a training checkpoint (state.json): where the run is, in steps and in the data.
// The data order is a pure function of (seed, epoch, batch index), so these numbers are the RNG state too.
using System.Text.Json;

namespace Apr.Training;

/// <summary>Step and data position of a run; saved as snake_case JSON.</summary>
public sealed record TrainingState(
    int Step, int Epoch, int BatchInEpoch, ulong Seed, long TokensSeen, double ElapsedSeconds)
{
    public int FormatVersion { get; init; } = 1;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainingState FromJson(string json)
    {
        var state = JsonSerializer.Deserialize<TrainingState>(json, Json) ?? throw new InvalidDataException("state.json is null");
        return state.FormatVersion == 1 ? state : throw new InvalidDataException($"state.json format {state.FormatVersion}, expected 1");
    }
}
