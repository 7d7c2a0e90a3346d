// SamplingOptions: how a token is drawn from logits. Plain immutable data.
namespace Apr.Inference;

/// <summary>
/// Temperature 0 is greedy (argmax, lowest id on ties; the seed is then irrelevant). TopK 0 and TopP 1
/// disable those filters. Filters apply after masking, so under guided decoding they act on the legal
/// choices only.
/// </summary>
public sealed record SamplingOptions(double Temperature = 0, int TopK = 0, double TopP = 1.0)
{
    public static SamplingOptions Greedy { get; } = new();

    public SamplingOptions Validate()
    {
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be finite and >= 0");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top-k must be >= 0");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top-p must be in (0, 1]");
        return this;
    }
}
