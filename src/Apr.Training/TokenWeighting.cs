// Which target tokens a training sequence is scored on, as one weight per target. Pluggable: the caller may
// supply its own (e.g. only the tokens the trace grammar marks as decisions).
namespace Apr.Training;

/// <summary>
/// Weights for the targets of one sequence. <paramref name="tokens"/> is BOS + prompt + completion + EOS;
/// target j (0-based) is tokens[j + 1]; the prompt has <paramref name="promptTokens"/> tokens, so targets
/// j &gt;= promptTokens are completion tokens or the EOS. Return tokens.Length - 1 weights (0 = not trained).
/// </summary>
public delegate float[] TokenWeighting(SftCall call, IReadOnlyList<int> tokens, int promptTokens);

/// <summary>The built-in weightings.</summary>
public static class TokenWeightings
{
    /// <summary>Completion tokens and EOS weigh 1, prompt tokens 0 (the default).</summary>
    public static TokenWeighting Completion { get; } = (_, tokens, prompt) =>
    {
        var w = new float[tokens.Count - 1];
        for (int j = prompt; j < w.Length; j++) w[j] = 1f;
        return w;
    };

    /// <summary>Every token weighs 1 (prompt included; BOS is never a target).</summary>
    public static TokenWeighting All { get; } = (_, tokens, _) =>
    {
        var w = new float[tokens.Count - 1];
        Array.Fill(w, 1f);
        return w;
    };

    /// <summary>"completion" or "all".</summary>
    public static TokenWeighting ByName(string name) => name switch
    {
        "completion" => Completion,
        "all" => All,
        _ => throw new ArgumentException($"unknown loss mask '{name}'; known: completion, all", nameof(name)),
    };
}
