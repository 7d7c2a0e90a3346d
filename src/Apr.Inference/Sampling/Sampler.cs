// Sampler: draws one token from a row of logits, optionally restricted to an allowed set (guided
// decoding's mask). Pure C# over a float span: the row's own Rng makes the draw independent of whatever
// else is in the batch. Does not touch tensors or know the grammar.
using Apr.Core;
using Apr.Countdown;

namespace Apr.Inference;

public static class Sampler
{
    /// <summary>
    /// Draws a token from <paramref name="logits"/> restricted to <paramref name="allowed"/> (all ids when
    /// null). Returns the token and its log-probability under the masked distribution at temperature 1.
    /// Greedy (temperature 0) never consumes randomness.
    /// </summary>
    public static (int Token, float LogProb) Sample(ReadOnlySpan<float> logits, IReadOnlyList<int>? allowed, SamplingOptions options, ref Rng rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        int n = allowed?.Count ?? logits.Length;
        if (n == 0) throw new ArgumentException("nothing to sample from: the allowed set is empty", nameof(allowed));
        Span<int> ids = n <= 2048 ? stackalloc int[n] : new int[n];
        for (int i = 0; i < n; i++)
        {
            int id = allowed is null ? i : allowed[i];
            if ((uint)id >= (uint)logits.Length) throw new ArgumentOutOfRangeException(nameof(allowed), id, $"token id outside the vocabulary of {logits.Length}");
            ids[i] = id;
        }
        if (allowed is not null) ids.Sort();
        int token = n == 1 ? ids[0] : options.Temperature == 0 ? ArgMax(logits, ids) : Draw(logits, ids, options, ref rng);
        return (token, LogProb(logits, ids, token));
    }

    /// <summary>log softmax(logits restricted to ids)[token].</summary>
    public static float LogProb(ReadOnlySpan<float> logits, ReadOnlySpan<int> ids, int token)
    {
        double max = double.NegativeInfinity;
        foreach (var id in ids) max = Math.Max(max, logits[id]);
        double sum = 0;
        foreach (var id in ids) sum += Math.Exp(logits[id] - max);
        return (float)(logits[token] - max - Math.Log(sum));
    }

    /// <summary>The <paramref name="n"/> most likely of <paramref name="allowed"/> (all ids when null) with their log-probs (temperature 1), most likely first.</summary>
    public static (int Id, float LogProb)[] Top(ReadOnlySpan<float> logits, IReadOnlyList<int>? allowed, int n)
    {
        var ids = allowed is null ? Enumerable.Range(0, logits.Length).ToArray() : [.. allowed];
        var values = new float[ids.Length];
        for (int i = 0; i < ids.Length; i++) values[i] = logits[ids[i]];
        double max = values.Max(), sum = 0;
        foreach (var x in values) sum += Math.Exp(x - max);
        double log = max + Math.Log(sum);
        return [.. Enumerable.Range(0, ids.Length).OrderByDescending(i => values[i]).ThenBy(i => ids[i]).Take(n).Select(i => (ids[i], (float)(values[i] - log)))];
    }

    private static int ArgMax(ReadOnlySpan<float> logits, ReadOnlySpan<int> ids)
    {
        int best = ids[0];
        foreach (var id in ids)
            if (logits[id] > logits[best]) best = id; // ids ascending: the lowest id wins ties
        return best;
    }

    private static int Draw(ReadOnlySpan<float> logits, ReadOnlySpan<int> ids, SamplingOptions options, ref Rng rng)
    {
        // Candidates by descending logit (lowest id first on ties), cut by top-k, weighed at the temperature, cut by top-p.
        var order = ids.ToArray();
        var keys = new float[order.Length];
        for (int i = 0; i < order.Length; i++) keys[i] = -logits[order[i]];
        Array.Sort(keys, order); // ascending -logit; ids were ascending, and Array.Sort is unstable, so fix ties below
        for (int i = 1; i < order.Length; i++)
            for (int j = i; j > 0 && keys[j] == keys[j - 1] && order[j] < order[j - 1]; j--)
            {
                (order[j], order[j - 1]) = (order[j - 1], order[j]);
            }
        int keep = options.TopK > 0 ? Math.Min(options.TopK, order.Length) : order.Length;
        var weights = new double[keep];
        double top = logits[order[0]], total = 0;
        for (int i = 0; i < keep; i++) total += weights[i] = Math.Exp((logits[order[i]] - top) / options.Temperature);
        if (options.TopP < 1)
        {
            double cumulative = 0;
            for (int i = 0; i < keep; i++)
            {
                cumulative += weights[i] / total;
                if (cumulative >= options.TopP) { keep = i + 1; break; }
            }
            total = 0;
            for (int i = 0; i < keep; i++) total += weights[i];
        }
        double u = rng.NextDouble() * total;
        for (int i = 0; i < keep; i++)
        {
            u -= weights[i];
            if (u < 0) return order[i];
        }
        return order[keep - 1];
    }
}
