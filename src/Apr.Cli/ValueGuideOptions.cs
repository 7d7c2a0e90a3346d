// ValueGuideOptions: `--value-model DIR` and `--value-weight W`, shared by solve and eval: a learned value (a ranker
// directory, e.g. models/ranker5-mlp) that weighs the model's choices among states under guided decoding
// (Apr.Inference.ValueGuide). Bad values are usage errors naming them; the loaded scorer is disposed with the guide.
using System.CommandLine;
using Apr.Evaluation;
using Apr.Inference;

namespace Apr.Cli;

internal sealed class ValueGuideOptions
{
    /// <summary>The weight when --value-weight is not given (chosen on validation problems: README, "Harder problems").</summary>
    public const double DefaultWeight = 1.0;

    public Option<DirectoryInfo?> Model { get; } = new("--value-model")
    {
        Description = "a learned value (a ranker directory, e.g. models/ranker5-mlp) that weighs the model's choices among states under guided decoding: which operation, node or child start comes first; the model keeps every choice of the search's shape",
    };

    public Option<double> Weight { get; } = Options.Number("--value-weight", "with --value-model: logit + W * ln(value) at each choice among states (1: the model's and the value's probabilities multiplied; larger: the value orders, the model breaks ties)", DefaultWeight, 0, 1e6, minExcluded: true);

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Weight);
    }

    /// <summary>The guide the options name (null without --value-model); --value-weight alone is a usage error.</summary>
    public ValueGuide? Load(ParseResult r)
    {
        if (r.GetValue(Model) is not { } dir)
        {
            if (r.GetResult(Weight) is { Implicit: false }) throw new CliException("--value-weight weighs a --value-model: give --value-model DIR too", Cli.UsageError);
            return null;
        }
        var scorer = Options.AsUsageError(() => ReachabilityScorer.Load(dir.FullName));
        return new ValueGuide(scorer, r.GetValue(Weight)) { Source = Path.GetRelativePath(Environment.CurrentDirectory, dir.FullName) };
    }
}
