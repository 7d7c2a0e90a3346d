// Learning rate: linear warm-up from 0 to the peak, then cosine decay to the minimum at the last step.
namespace Apr.Training;

/// <summary>Warm-up then cosine decay.</summary>
public sealed record LrSchedule(double Peak, double Min, int WarmupSteps, int TotalSteps)
{
    /// <summary>The rate for 0-based optimizer step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        int decay = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / decay);
        return Min + 0.5 * (Peak - Min) * (1 + Math.Cos(Math.PI * progress));
    }
}
