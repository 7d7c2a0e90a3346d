// ChoicePolicy: who makes the choices: the model, or one of the no-model line policies (LinePolicy)
// under exactly the grammar, runtime and guards the model gets.
namespace Apr.Inference;

public enum ChoicePolicy
{
    Model,
    /// <summary>Uniform over the legal next lines at every choice point, giving up included: the floor.</summary>
    Uniform,
    /// <summary>Uniform over the legal next lines except giving up while another line exists.</summary>
    Random,
    /// <summary>A fixed preference: explore, spawn, move; smallest numbers and lowest ids first; give up last.</summary>
    Enumerate,
}

public static class ChoicePolicies
{
    /// <summary>The wire names, as the CLI and records spell them.</summary>
    public static string Name(this ChoicePolicy policy) => policy switch
    {
        ChoicePolicy.Model => "model",
        ChoicePolicy.Uniform => "uniform",
        ChoicePolicy.Random => "random",
        _ => "enumerate",
    };

    public static ChoicePolicy Parse(string name) => name switch
    {
        "model" => ChoicePolicy.Model,
        "uniform" => ChoicePolicy.Uniform,
        "random" => ChoicePolicy.Random,
        "enumerate" => ChoicePolicy.Enumerate,
        _ => throw new ArgumentException($"unknown policy '{name}': use model, uniform, random or enumerate"),
    };

    internal static LinePolicy? Lines(this ChoicePolicy policy) => policy switch
    {
        ChoicePolicy.Uniform => LinePolicy.Uniform,
        ChoicePolicy.Random => LinePolicy.Random,
        ChoicePolicy.Enumerate => LinePolicy.Enumerate,
        _ => null,
    };
}
