// The non-tensor part of a training checkpoint (state.json): where the run is, in steps and in the data.
// The data order is a pure function of (seed, epoch, batch index), so these numbers are the RNG state too.
using System.Text.Json;

namespace Apr.Training;

/// <summary>Step and data position of a run; saved as snake_case JSON (TrainingJson).</summary>
/// <remarks><see cref="FormatVersion"/> is a constructor parameter with a default (not an initialised init-only
/// property) so that generated JSON code gives a state.json without it 1, as reading always has.</remarks>
public sealed record TrainingState(
    int Step, int Epoch, int BatchInEpoch, ulong Seed, long TokensSeen, double ElapsedSeconds, int FormatVersion = 1)
{
    /// <summary>The micro-batch token budget the run plans its batches with (null in states written before it was recorded).</summary>
    public int? BatchTokens { get; init; }

    /// <summary>
    /// Refuses to resume with settings that would change the data order this state continues (the seed,
    /// the batch tokens) or at a position the data no longer has: the run would silently train on other
    /// batches, or fail with an index out of range.
    /// </summary>
    public void CheckResume(string checkpoint, ulong seed, int batchTokens, int batchesInEpoch)
    {
        if (Seed != seed)
            throw new InvalidDataException($"{checkpoint} was trained with --seed {Seed}, not {seed}: resume with the same seed (the data order depends on it)");
        if (BatchTokens is { } b && b != batchTokens)
            throw new InvalidDataException($"{checkpoint} was trained with --batch-tokens {b}, not {batchTokens}: resume with the same value (the batches depend on it)");
        if (BatchInEpoch > batchesInEpoch)
            throw new InvalidDataException($"{checkpoint} stopped at batch {BatchInEpoch} of epoch {Epoch}, but the data now makes {batchesInEpoch} batches per epoch: resume with the data and --batch-tokens the run was trained with");
    }

    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Indented.TrainingState);

    public static TrainingState FromJson(string json)
    {
        TrainingState state;
        try { state = JsonSerializer.Deserialize(json, TrainingJson.Indented.TrainingState) ?? throw new InvalidDataException("state.json is null"); }
        catch (JsonException e) { throw new InvalidDataException($"state.json is not a training state: {e.Message}", e); }
        return state.FormatVersion == 1 ? state : throw new InvalidDataException($"state.json format {state.FormatVersion}, expected 1");
    }
}
