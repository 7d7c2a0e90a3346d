// RlPlots: an RL run's curves as one PNG each (ScottPlot): reward and rollout accuracy, greedy validation
// accuracy, children per problem and tokens per problem (rollouts, and validation), against the step,
// drawn by Apr.Plotting's LineChart (atomically).
using Apr.Plotting;

namespace Apr.Reinforcement;

public static class RlPlots
{
    /// <summary>The files <see cref="Save"/> writes into the run directory.</summary>
    public static IReadOnlyList<string> Files { get; } = ["reward.png", "val_accuracy.png", "children.png", "tokens.png"];

    public static void Save(RlMetrics metrics, string dir)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Steps.Count == 0 && metrics.Validations.Count == 0) return;
        double[] steps = metrics.Steps.Select(s => (double)s.Step).ToArray(), vsteps = metrics.Validations.Select(v => (double)v.Step).ToArray();
        Write(dir, "reward.png", "Reward and rollout accuracy", "per rollout",
            ("reward (mean)", steps, metrics.Steps.Select(s => s.Reward).ToArray()),
            ("rollout accuracy", steps, metrics.Steps.Select(s => s.Accuracy).ToArray()));
        Write(dir, "val_accuracy.png", "Greedy validation accuracy", "accuracy",
            ("validation accuracy", vsteps, metrics.Validations.Select(v => v.Accuracy).ToArray()));
        Write(dir, "children.png", "Child threads per problem", "children",
            ("rollouts", steps, metrics.Steps.Select(s => s.ChildrenPerProblem).ToArray()),
            ("validation (greedy)", vsteps, metrics.Validations.Select(v => v.ChildrenPerProblem).ToArray()));
        Write(dir, "tokens.png", "Tokens per problem", "tokens",
            ("total, rollouts", steps, metrics.Steps.Select(s => s.TokensPerProblem).ToArray()),
            ("sequential, rollouts", steps, metrics.Steps.Select(s => s.SequentialTokensPerProblem).ToArray()),
            ("total, validation", vsteps, metrics.Validations.Select(v => v.TokensPerProblem).ToArray()));
    }

    private static void Write(string dir, string file, string title, string yLabel, params (string Label, double[] X, double[] Y)[] series) =>
        LineChart.Save(Path.Combine(dir, file), title, "RL step", yLabel,
            series.Select(s => new Series(s.Label, s.X, s.Y, MarkerSize: s.X.Length > 60 ? 0 : 4)));
}
