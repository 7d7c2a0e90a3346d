// ModelManifest: the typed form of a model directory's manifest.json, source-generated (System.Text.Json,
// snake_case, indented, the relaxed encoder of Core's Json). `apr export` writes it; ModelConditioning
// reads the prefixes a model was trained to read from it. Fields a manifest does not have are left out
// when writing (null when reading), except `accuracy`, which is written as null when no evaluation was
// given (so a reader sees that none was). `config` is the Hugging Face config as ModelConfig writes it,
// kept as JSON. Field order is declaration order, so shipped manifests read back and write the same bytes.
using System.Text.Json;
using System.Text.Json.Serialization;
using Apr.Core;

namespace Apr.Inference;

public sealed record ModelManifest(
    int Format, string Name, string Method, string ExportedUtc, JsonElement Config, long Parameters, long NonEmbeddingParameters,
    ManifestTokenizer Tokenizer, string SourceCheckpoint, ManifestTraining Training, IReadOnlyList<ManifestFile> Files,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ManifestAccuracy? Accuracy)
{
    public const string FileName = "manifest.json";

    /// <summary>apr: the total-token budgets it was trained to read in `Token Budget: B`.</summary>
    public IReadOnlyList<int>? BudgetBins { get; init; }

    /// <summary>apr: the unit of its budget prefix: it reads `Token Budget: B / unit` (null: 1).</summary>
    public int? BudgetUnit { get; init; }

    /// <summary>apr: every thread's prompt carries the budget prefix, not only the root's (`data traces --budget-children`; null: the root's only).</summary>
    public bool? BudgetChildren { get; init; }

    /// <summary>sosp: the bin of its `Token Budget: B` prefix.</summary>
    public int? TokenBudgetBin { get; init; }

    /// <summary>A learned value it is decoded with (ValueGuide): a ranker directory, relative to the model's directory.</summary>
    public string? ValueModel { get; init; }

    /// <summary>
    /// Other values for problems of some sizes (ValueGuide.BySize): the root's count of numbers -> a ranker directory, relative
    /// to the model's directory; a size not named here is decoded with <see cref="ValueModel"/>. Null: that one for every size.
    /// </summary>
    public IReadOnlyDictionary<int, string>? ValueModelBySize { get; init; }

    /// <summary>The weight of <see cref="ValueModel"/> (null: ValueGuide's default).</summary>
    public double? ValueWeight { get; init; }

    /// <summary>States of at most this many numbers the value guide rates by an exact check, not by <see cref="ValueModel"/> (null: 1, a final number only).</summary>
    [JsonPropertyName("value_exact_upto")]
    public int? ValueExactUpTo { get; init; }

    /// <summary>The value's revisit factor (ValueGuide.Revisit, `--value-revisit`; null: 1, no memory of searched states).</summary>
    public double? ValueRevisit { get; init; }

    /// <summary>
    /// The weights are the elementwise mean of these checkpoints' (`apr export --average`), the first being --from,
    /// whose record <see cref="ModelManifest.Training"/> is; null: one checkpoint's weights.
    /// </summary>
    public IReadOnlyList<ManifestAveraged>? AveragedFrom { get; init; }

    /// <summary>The file's text: indented JSON and a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ManifestJson.Indented.ModelManifest) + "\n";

    /// <summary>Reads a manifest.json; a file that is not one is an InvalidDataException naming it.</summary>
    public static ModelManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Indented.ModelManifest)
                ?? throw new InvalidDataException($"{path}: null instead of a model manifest");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a model manifest ({e.Message})", e); }
    }
}

/// <summary>One checkpoint of an averaged model: where it was, the sha256 of its weights, and its state.json's step and seed.</summary>
public sealed record ManifestAveraged(string Checkpoint, string Sha256, int? Steps, ulong? Seed);

public sealed record ManifestTokenizer(string File, int VocabSize);

public sealed record ManifestFile(string Name, long Bytes, string Sha256);

/// <summary>What made the weights: from the checkpoint's state.json, the run's metrics.jsonl and the recipe.</summary>
public sealed record ManifestTraining(
    int? Steps = null, ulong? Seed = null, long? TokensSeen = null, double? WallTimeSeconds = null, string? Stage = null,
    double? FinalRlValidationAccuracy = null, double? FinalTrainLoss = null, double? FinalValLoss = null, IReadOnlyList<string>? Commands = null);

/// <summary>The accuracy `apr eval` measured (one condition of its summary.json).</summary>
public sealed record ManifestAccuracy(
    string EvalSummary, string? EvalCommand, string? ProblemsFile, string Condition, int? Problems, double? Accuracy, int? ReferenceContext,
    double? AccuracyAtReferenceContext, double? MeanTotalTokens, double? MeanSequentialTokens, double? MeanChildren);

[JsonSerializable(typeof(ModelManifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class ManifestJson : JsonSerializerContext
{
    public static ManifestJson Indented { get; } = new(new JsonSerializerOptions(Json.Serializer) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });
}
