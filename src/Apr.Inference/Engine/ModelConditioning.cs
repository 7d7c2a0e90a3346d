// ModelConditioning: which conditioning prefix a model was trained to read, from its manifest.json (ModelManifest):
// "budget_bins" (an APR model trained on budget-labelled traces: `Token Budget: B` = total tokens; with
// "budget_unit" U it reads B / U instead, so that each bin is one number token of the tokenizer; with
// "budget_children": true every thread's prompt carries it, not only the root's: SolveOptions.TellChildren) and
// "token_budget_bin" (a SoS+ model trained with `Token Budget: B` = completion tokens rounded up to the
// bin). A model directory without a manifest, or without these fields, reads none. Malformed fields are
// an error naming the file, not a silent default. "value_model" / "value_weight": a learned value the model was
// trained to be decoded with (ValueGuide; `apr export --value-model`), resolved against the model's directory, so
// solve and eval use it unless told otherwise; "value_exact_upto": the states of at most that many numbers the guide
// rates by an exact check instead (ValueGuide.ExactUpTo; absent: 1); "value_model_by_size": {"6": "../dir"}, other values for
// problems of those sizes (ValueGuide.BySize), resolved as value_model is; "value_revisit": the factor on the value of a
// state a thread knows was searched (ValueGuide.Revisit; absent: 1).
using Apr.Countdown;

namespace Apr.Inference;

public sealed record ModelConditioning(IReadOnlyList<int>? BudgetBins, int? TokenBudgetBin, int BudgetUnit = 1, string? ValueModel = null, double? ValueWeight = null, bool BudgetChildren = false, int? ValueExactUpTo = null,
    IReadOnlyDictionary<int, string>? ValueModelBySize = null, double? ValueRevisit = null)
{
    public static ModelConditioning None { get; } = new(null, null);

    /// <summary>Throws ArgumentException when the unit is not positive or does not divide every budget bin.</summary>
    public ModelConditioning Validate()
    {
        if (BudgetUnit < 1 || BudgetBins?.FirstOrDefault(b => b % BudgetUnit != 0) is > 0)
            throw new ArgumentException($"the budget unit {BudgetUnit} must be positive and divide every budget bin ({string.Join(",", BudgetBins ?? [])})");
        if (BudgetChildren && BudgetBins is not { Count: > 0 })
            throw new ArgumentException("budget_children tells children the budget of a model that reads one: it needs budget_bins");
        return this;
    }

    /// <summary>Reads <paramref name="modelDir"/>/manifest.json (a model directory or a path ModelLoader resolves).</summary>
    public static ModelConditioning Read(string modelDir)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        var path = Path.Combine(ModelLoader.Resolve(modelDir), ModelManifest.FileName);
        if (!File.Exists(path)) return None;
        var manifest = ModelManifest.Read(path);
        if (manifest.BudgetBins is { } bins && (bins.Count == 0 || bins.Any(x => x < 1))) throw new InvalidDataException($"{path}: budget_bins must be positive token counts");
        if (manifest.TokenBudgetBin is < 1) throw new InvalidDataException($"{path}: token_budget_bin must be positive, got {manifest.TokenBudgetBin}");
        if (manifest.ValueWeight is { } w && !(w > 0 && double.IsFinite(w))) throw new InvalidDataException($"{path}: value_weight must be positive and finite, got {w}");
        if (manifest.ValueExactUpTo is { } x && (x < 1 || x > ValueGuide.MaxExactUpTo)) throw new InvalidDataException($"{path}: value_exact_upto must be in 1..{ValueGuide.MaxExactUpTo}, got {x}");
        if (manifest.ValueRevisit is { } f && !(f > 0 && f <= 1)) throw new InvalidDataException($"{path}: value_revisit must be in (0, 1], got {f}");
        if (manifest.ValueRevisit is not null && manifest.ValueModel is null) throw new InvalidDataException($"{path}: value_revisit weighs a value: it needs value_model");
        if (manifest.ValueModel is "") throw new InvalidDataException($"{path}: value_model is empty");
        if (manifest.ValueModelBySize is { } sizes)
        {
            if (manifest.ValueModel is null) throw new InvalidDataException($"{path}: value_model_by_size names values for some sizes: it needs value_model for the others");
            foreach (var (n, d) in sizes)
            {
                if (ProblemLimits.CheckCount(n) is { } outOfRange) throw new InvalidDataException($"{path}: value_model_by_size: {outOfRange}");
                if (string.IsNullOrEmpty(d)) throw new InvalidDataException($"{path}: value_model_by_size's value for {n} numbers is empty");
            }
        }
        string Resolve(string v) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, v));
        var value = manifest.ValueModel is { } v ? Resolve(v) : null;
        var bySize = manifest.ValueModelBySize?.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value));
        try { return new ModelConditioning(manifest.BudgetBins, manifest.TokenBudgetBin, manifest.BudgetUnit ?? 1, value, manifest.ValueWeight, manifest.BudgetChildren == true, manifest.ValueExactUpTo, bySize, manifest.ValueRevisit).Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }
}
