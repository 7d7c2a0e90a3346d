// MaskedLogProbs: log-probabilities of the sampled tokens of a micro-batch of RlSequences under a model,
// each over exactly the choices it was drawn among (the grammar's mask; the whole vocabulary for
// unguided tokens), with the value's bias added to the choices' logits where the rollout was decoded with one
// (RlSequence.Bias), so RL's ratios compare like with like. One forward over the padded batch; the LM head runs
// at the sampled positions only.
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Reinforcement;

public static class MaskedLogProbs
{
    /// <summary>The sampled tokens' log-probabilities, sequence after sequence, as a [tokens] tensor (grad flows when enabled).</summary>
    public static Tensor Compute(LlamaForCausalLm model, IReadOnlyList<RlSequence> batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        int b = batch.Count, t = batch.Max(s => s.Ids.Length), v = model.Config.VocabSize;
        var ids = new long[b * t];
        int tokens = 0, k = 1;
        bool full = false;
        for (int i = 0; i < b; i++)
        {
            var s = batch[i];
            for (int j = 0; j < s.Ids.Length; j++) ids[i * t + j] = s.Ids[j];
            tokens += s.Positions.Length;
            foreach (var c in s.Choices)
            {
                if (c is null) full = true;
                else k = Math.Max(k, c.Length);
            }
        }
        if (full) k = v;
        var rows = new long[tokens];
        var choice = new long[tokens * k];
        var pad = new bool[tokens * k];
        var bias = batch.Any(s => s.Bias is not null) ? new float[tokens * k] : null;
        var column = new long[tokens];
        int n = 0;
        for (int i = 0; i < b; i++)
        {
            var s = batch[i];
            for (int j = 0; j < s.Positions.Length; j++, n++)
            {
                int pos = s.Positions[j], token = s.Ids[pos];
                rows[n] = (long)i * t + pos - 1;
                var c = s.Choices[j];
                int count = c?.Length ?? v;
                if (s.Bias?[j] is { } add)
                {
                    if (c is null || add.Length != c.Length) throw new InvalidOperationException($"a value bias of {add.Length} entries for {count} choices");
                    add.CopyTo(bias!, n * k);
                }
                int col = -1;
                for (int q = 0; q < k; q++)
                {
                    bool inside = q < count;
                    int id = inside ? (c is null ? q : c[q]) : token;
                    choice[n * k + q] = id;
                    pad[n * k + q] = !inside;
                    if (inside && id == token && col < 0) col = q;
                }
                if (col < 0) throw new InvalidOperationException($"sampled token {token} is not among its {count} recorded choices");
                column[n] = col;
            }
        }
        using var input = tensor(ids, [b, t]);
        var logits = model.LogitsAt(input, tensor(rows)); // (tokens, V): the head only at the sampled positions
        var selected = logits.gather(1, tensor(choice, [tokens, k]));
        if (bias is not null) selected = selected + tensor(bias, [tokens, k]);
        var masked = selected.masked_fill(tensor(pad, [tokens, k]), float.NegativeInfinity);
        return masked.log_softmax(1).gather(1, tensor(column, [tokens, 1])).squeeze(1);
    }
}
