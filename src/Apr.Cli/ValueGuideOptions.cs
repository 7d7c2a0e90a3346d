// ValueGuideOptions: `--value-model DIR`, `--value-weight W`, `--value-exact-upto N` and `--value-model-by-size N=DIR`,
// shared by solve, eval, serve and rl: a learned value (a ranker directory, e.g. models/ranker5-mlp) that weighs the
// model's choices among states under guided decoding (Apr.Inference.ValueGuide). A model whose manifest names a value
// (`apr export --value-model`) is decoded with it unless `--value-model none` says otherwise; --value-weight and
// --value-exact-upto override the manifest's weight and exact check. --value-model-by-size names another value for
// problems of N numbers (ValueGuide.BySize): added to the manifest's sizes when the value is the manifest's, the only
// sizes when --value-model names one (a value given on the command line is used as given). Bad values are usage errors
// naming them; the loaded scorers are disposed with the guide.
using System.CommandLine;
using Apr.Evaluation;
using Apr.Inference;

namespace Apr.Cli;

internal sealed class ValueGuideOptions
{
    /// <summary>The --value-model value that turns a manifest's value off.</summary>
    public const string None = "none";

    public Option<string?> Model { get; } = new("--value-model")
    {
        Description = "a learned value (a ranker directory, e.g. models/ranker5-mlp) that weighs the model's choices among states under guided decoding: which operation, node or child start comes first; the model keeps every choice of the search's shape. Default: the one the model's manifest names, if any; 'none' for none",
    };

    public Option<double?> Weight { get; } = Options.OptionalNumber("--value-weight", $"the value's weight: logit + W * ln(value) at each choice among states (1: the model's and the value's probabilities multiplied; larger: the value orders, the model breaks ties; default: the manifest's, else {ValueGuide.DefaultWeight})", 0, 1e6, minExcluded: true);

    public Option<int?> ExactUpTo { get; } = Options.OptionalInt("--value-exact-upto", $"states of at most N numbers (1..{ValueGuide.MaxExactUpTo}) are rated by an exact check instead of the value: 2 = \"does one operation on these two numbers make the target\", as the no-learning trees of `eval --exact-upto 2` do (default: the manifest's, else 1: a final number only)", 1, ValueGuide.MaxExactUpTo);

    public Option<string[]> BySize { get; } = BySizeOption("another value for problems of N numbers (the root's count; repeatable), e.g. 6=models/ranker456-mlp72k: every thread of such a problem is rated by it (default: the manifest's value_model_by_size when the value is the manifest's)");

    /// <summary>A repeatable <c>--value-model-by-size N=DIR</c> (solve, eval, serve, rl, export).</summary>
    public static Option<string[]> BySizeOption(string description) =>
        new("--value-model-by-size") { Description = description, AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };

    /// <summary>
    /// The N=DIR values of a <see cref="BySizeOption"/>, N a supported count of numbers, each once; DIR as given (full path).
    /// A malformed one is a usage error naming it.
    /// </summary>
    public static Dictionary<int, string> ParseBySize(IEnumerable<string> values)
    {
        var sizes = new Dictionary<int, string>();
        foreach (var v in values)
        {
            int eq = v.IndexOf('=');
            if (eq < 1 || eq == v.Length - 1 || !int.TryParse(v.AsSpan(0, eq), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n))
                throw new CliException($"--value-model-by-size takes N=DIR (a count of numbers and a ranker directory), got '{v}'", Cli.UsageError);
            if (Apr.Countdown.ProblemLimits.CheckCount(n) is { } outOfRange)
                throw new CliException($"--value-model-by-size {v}: {outOfRange}", Cli.UsageError);
            if (!sizes.TryAdd(n, Path.GetFullPath(v[(eq + 1)..])))
                throw new CliException($"--value-model-by-size names {n} numbers twice", Cli.UsageError);
        }
        return sizes;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Weight);
        command.Options.Add(ExactUpTo);
        command.Options.Add(BySize);
    }

    /// <summary>True when --value-model names a directory (not given, or 'none': false).</summary>
    public bool Explicit(ParseResult r) => r.GetValue(Model) is { } m && m != None;

    /// <summary>
    /// The guide for a model whose manifest links <paramref name="linked"/> (null: none): --value-model's, else the
    /// manifest's; null when there is none or --value-model is 'none'. --value-weight with no value is a usage error.
    /// </summary>
    public ValueGuide? Load(ParseResult r, ModelConditioning? linked)
    {
        var asked = r.GetValue(Model);
        var dir = asked is null ? linked?.ValueModel : asked == None ? null : Path.GetFullPath(asked);
        if (dir is null)
        {
            var given = r.GetValue(Weight) is not null ? $"{Weight.Name} weighs" : r.GetValue(ExactUpTo) is not null ? $"{ExactUpTo.Name} goes with"
                : r.GetValue(BySize) is { Length: > 0 } ? $"{BySize.Name} adds to" : null;
            if (given is not null)
                throw new CliException(asked == None ? $"{given} a value, and --value-model is 'none'" : $"{given} a --value-model: give --value-model DIR too", Cli.UsageError);
            return null;
        }
        double weight = r.GetValue(Weight) ?? (asked is null ? linked?.ValueWeight : null) ?? ValueGuide.DefaultWeight;
        int exact = r.GetValue(ExactUpTo) ?? (asked is null ? linked?.ValueExactUpTo : null) ?? 1; // both checked: the option's validator, ModelConditioning.Read
        var sizes = asked is null && linked?.ValueModelBySize is { } own ? new Dictionary<int, string>(own) : [];
        foreach (var (n, d) in ParseBySize(r.GetValue(BySize) ?? [])) sizes[n] = d;
        return Options.AsUsageError(() => ValueGuide.Load(dir, weight, exact, sizes));
    }
}
