// LineChart: the figure training and RL draw: one or more named series (x, y) as lines against a step
// axis, with a legend, 800 x 500 pixels, written atomically. A series with no points is left out;
// markers are drawn unless a series says otherwise. Evaluation's figures style their lines by condition
// and draw them with ScottPlot directly (EvalPlots), saving through PngFile.
using ScottPlot;

namespace Apr.Plotting;

/// <summary>One line of a <see cref="LineChart"/>: its legend text, its points, and its marker size (null: ScottPlot's default).</summary>
public sealed record Series(string Label, double[] X, double[] Y, float? MarkerSize = null);

public static class LineChart
{
    public const int Width = 800, Height = 500;

    /// <summary>Draws <paramref name="series"/> into a PNG at <paramref name="path"/>; no title when <paramref name="title"/> is null.</summary>
    public static void Save(string path, string? title, string xLabel, string yLabel, IEnumerable<Series> series, Alignment legend = Alignment.LowerRight)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        if (title is not null) plot.Title(title);
        plot.Axes.Bottom.Label.Text = xLabel;
        plot.Axes.Left.Label.Text = yLabel;
        foreach (var s in series.Where(s => s.X.Length > 0))
        {
            var line = plot.Add.Scatter(s.X, s.Y);
            line.LegendText = s.Label;
            if (s.MarkerSize is { } size) line.MarkerSize = size;
        }
        plot.ShowLegend(legend);
        PngFile.Save(plot, path, Width, Height);
    }
}
