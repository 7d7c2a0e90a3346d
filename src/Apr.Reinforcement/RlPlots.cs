// RlPlots: an RL run's curves as one PNG each (ScottPlot): reward and rollout accuracy, greedy validation
// accuracy, children per problem and tokens per problem (rollouts, and validation), against the step.
using ScottPlot;

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

    private static void Write(string dir, string file, string title, string yLabel, params (string Label, double[] X, double[] Y)[] series)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.Axes.Bottom.Label.Text = "RL step";
        plot.Axes.Left.Label.Text = yLabel;
        foreach (var (label, x, y) in series.Where(s => s.X.Length > 0))
        {
            var line = plot.Add.Scatter(x, y);
            line.LegendText = label;
            line.MarkerSize = x.Length > 60 ? 0 : 4;
        }
        plot.ShowLegend(Alignment.LowerRight);
        var path = Path.Combine(dir, file);
        plot.SavePng(path + ".tmp.png", 800, 500);
        File.Move(path + ".tmp.png", path, overwrite: true);
    }
}
