// ChoicePolicy: the model, or the no-model baseline that picks uniformly among the grammar's legal lines.
namespace Apr.Inference;

public enum ChoicePolicy
{
    Model,
    /// <summary>Uniform over the legal next lines at every choice point (needs guided decoding; ignores the model).</summary>
    Random,
}
