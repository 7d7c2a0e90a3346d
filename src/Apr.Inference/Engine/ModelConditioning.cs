// ModelConditioning: which conditioning prefix a model was trained to read, from its manifest.json:
// "budget_bins" (an APR model trained on budget-labelled traces: `Token Budget: B` = total tokens) and
// "token_budget_bin" (a SoS+ model trained with `Token Budget: B` = completion tokens rounded up to the
// bin). A model directory without a manifest, or without these fields, reads none. Malformed fields are
// an error naming the file, not a silent default.
using System.Text.Json;

namespace Apr.Inference;

public sealed record ModelConditioning(IReadOnlyList<int>? BudgetBins, int? TokenBudgetBin)
{
    public static ModelConditioning None { get; } = new(null, null);

    public const string ManifestFile = "manifest.json";

    /// <summary>Reads <paramref name="modelDir"/>/manifest.json (a model directory or a path ModelLoader resolves).</summary>
    public static ModelConditioning Read(string modelDir)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        var path = Path.Combine(ModelLoader.Resolve(modelDir), ManifestFile);
        if (!File.Exists(path)) return None;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            List<int>? bins = null;
            if (root.TryGetProperty("budget_bins", out var b) && b.ValueKind != JsonValueKind.Null)
            {
                bins = [.. b.EnumerateArray().Select(e => e.GetInt32())];
                if (bins.Count == 0 || bins.Any(x => x < 1)) throw new InvalidDataException($"{path}: budget_bins must be positive token counts");
            }
            int? bin = root.TryGetProperty("token_budget_bin", out var t) && t.ValueKind != JsonValueKind.Null ? t.GetInt32() : null;
            if (bin is < 1) throw new InvalidDataException($"{path}: token_budget_bin must be positive, got {bin}");
            return new ModelConditioning(bins, bin);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }
}
