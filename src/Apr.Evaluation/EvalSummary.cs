// EvalSummary: the typed form of an eval run's summary.json, source-generated (System.Text.Json,
// snake_case, indented, the relaxed encoder of Core's Json). EvalReport builds it from the run's
// results and writes it; `apr export --eval` reads it back (Read) for a model's manifest. Field order
// is declaration order, so the file reads the same as before it was typed. `complete`, `budgets`,
// `sequential_caps` and `frontier` came later: null when an older summary lacks them (and then not
// written back); EvalReport always sets them. `depth`, the APR nesting depth of `apr eval --depth`, is
// written only when it is not the paper's 1.
using System.Text.Json;
using System.Text.Json.Serialization;
using Apr.Core;

namespace Apr.Evaluation;

public sealed record EvalSummary(
    int Format, string DateUtc, string Command, string ProblemsFile, int Problems, IReadOnlyDictionary<string, string> Models,
    int Context, int ReferenceContext, ulong Seed, int Threads, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Complete,
    IReadOnlyList<EvalSummaryCondition> Conditions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? Budgets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? SequentialCaps,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<EvalSummaryFrontier>? Frontier,
    IReadOnlyList<EvalSummaryTarget> Targets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Depth = null)
{
    /// <summary>The JSON text (indented, no trailing newline).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EvalJson.Summary.EvalSummary);

    /// <summary>Reads a summary.json; anything else is an InvalidDataException naming the file.</summary>
    public static EvalSummary Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), EvalJson.Summary.EvalSummary)
                ?? throw new InvalidDataException($"{path} is not an `apr eval` summary: null");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not an `apr eval` summary: {e.Message}", e); }
    }
}

public sealed record EvalSummaryCondition(
    string Name, string Label, string Method, string Policy, bool Guided, double Temperature, int Samples, int? SubCallBudget, int? TokenBudget,
    bool OneAtATime, IReadOnlyList<string> Sweeps, int Problems, double Accuracy, double AccuracyAtReferenceContext, double MeanTotalTokens,
    double MeanSampledTokens, double MeanSequentialTokens, double? MeanLatencyMs, double MeanChildren, double MeanSpawns, double MeanMaxCallTokens,
    IReadOnlyDictionary<string, int> Outcomes, IReadOnlyList<EvalSummaryContextPoint> ContextCurve, IReadOnlyList<EvalSummaryAtK> AtK, double Seconds);

public sealed record EvalSummaryContextPoint(int Context, double Accuracy);

public sealed record EvalSummaryAtK(int K, double PassAtK, double ConsAtK, double MeanTotalTokens);

public sealed record EvalSummaryFrontier(
    string Name, string Label, string Method, bool Learned, bool ToldBudget, IReadOnlyList<double?> AccuracyAtTotalCap, IReadOnlyList<double?> AccuracyAtSequentialCap);

public sealed record EvalSummaryTarget(string Name, string Finding, bool? Met);

[JsonSerializable(typeof(EvalSummary))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
public sealed partial class EvalJson : JsonSerializerContext
{
    /// <summary>Snake_case, indented, relaxed encoding (commands hold quotes and &lt; &gt;).</summary>
    public static EvalJson Summary { get; } = new(new JsonSerializerOptions(Json.Serializer));
}
