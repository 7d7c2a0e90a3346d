// RlSequence: one call of one rollout as a training sequence: the ids the model saw (prompt, then the
// completion), and for every sampled token (never prompts, inserted join text or grammar-forced spans)
// its position, the choices it was drawn among, what a value added to their logits (rollouts decoded with a
// ValueGuide: `apr rl --value-model`), the log-probability it was drawn with, and the call's advantage and weight
// (1 / calls in its rollout, so every rollout weighs about the same).
using Apr.Inference;

namespace Apr.Reinforcement;

/// <summary>
/// <see cref="Positions"/>[j] indexes <see cref="Ids"/>: the token the model chose there; the logits that
/// chose it are those after position − 1. <see cref="Choices"/>[j] null means the whole vocabulary.
/// </summary>
public sealed record RlSequence(int[] Ids, int[] Positions, int[]?[] Choices, float[] OldLogProbs, double Advantage, double Weight)
{
    /// <summary>
    /// Per sampled token, beside <see cref="Choices"/>: the value's addition to each choice's logit (null: none, or for
    /// the whole list: no value weighed this call). The policy is softmax(logits + bias): the bias does not depend on
    /// the weights, so the gradient is that of the guided policy the rollout was drawn from.
    /// </summary>
    public float[]?[]? Bias { get; init; }

    /// <summary>Log-probabilities of the sampled tokens under the frozen reference model (filled before the passes).</summary>
    public float[] RefLogProbs { get; set; } = [];

    /// <summary>The training sequences of one rollout (calls with at least one sampled token).</summary>
    public static List<RlSequence> FromRecord(ProblemRecord record, double advantage)
    {
        ArgumentNullException.ThrowIfNull(record);
        var list = new List<RlSequence>();
        int calls = record.Calls.Count;
        foreach (var call in record.Calls)
        {
            if (call.PromptIds.Count == 0) throw new InvalidOperationException($"call {call.Thread}/{call.Call} of {record.Id} has no prompt ids (was it recorded by the runtime?)");
            var ids = new int[call.PromptIds.Count + call.Tokens.Count];
            for (int i = 0; i < call.PromptIds.Count; i++) ids[i] = call.PromptIds[i];
            var positions = new List<int>();
            var old = new List<float>();
            for (int i = 0; i < call.Tokens.Count; i++)
            {
                var t = call.Tokens[i];
                ids[call.PromptIds.Count + i] = t.Id;
                if (t.Source != TokenSource.Sampled) continue;
                positions.Add(call.PromptIds.Count + i);
                old.Add(t.LogProb);
            }
            if (positions.Count == 0) continue;
            if (call.Choices.Count != positions.Count)
                throw new InvalidOperationException($"call {call.Thread}/{call.Call} of {record.Id}: {positions.Count} sampled tokens but {call.Choices.Count} choice sets");
            if (call.ChoiceBias.Count != 0 && call.ChoiceBias.Count != positions.Count)
                throw new InvalidOperationException($"call {call.Thread}/{call.Call} of {record.Id}: {positions.Count} sampled tokens but {call.ChoiceBias.Count} value biases");
            list.Add(new RlSequence(ids, [.. positions], [.. call.Choices], [.. old], advantage, 1.0 / calls)
            {
                Bias = call.ChoiceBias.Any(b => b is not null) ? [.. call.ChoiceBias] : null,
            });
        }
        return list;
    }
}
