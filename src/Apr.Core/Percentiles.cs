// Percentiles: summary of a list of counts (nearest-rank percentiles).
namespace Apr.Core;

/// <summary>Count, mean, p50, p95 and max of a sample.</summary>
public sealed record Percentiles(int Count, double Mean, double P50, double P95, double Max)
{
    public static Percentiles Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new Percentiles(0, 0, 0, 0, 0);
        var sorted = values.Order().ToArray();
        double Rank(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, sorted.Average(), Rank(0.50), Rank(0.95), sorted[^1]);
    }
}
