// The shared drawing code against ScottPlot used directly (the slow, obvious path): PngFile writes the bytes
// SavePng writes; LineChart draws what the loss and RL plots drew by hand before they shared it.
using ScottPlot;

namespace Apr.Plotting.Tests;

public sealed class PlotFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-plot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly double[] Steps = [1, 2, 3, 5, 8], Loss = [4.1, 3.2, 2.5, 2.2, 1.9], Val = [3.5, 2.4];

    [Fact]
    public void A_png_file_holds_the_bytes_ScottPlot_writes_and_no_temporary_file_is_left()
    {
        var plot = new Plot();
        plot.Add.Scatter(Steps, Loss);
        var path = Path.Combine(_dir, "a.png");
        PngFile.Save(plot, path, 400, 300);
        plot.SavePng(Path.Combine(_dir, "direct.png"), 400, 300);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "direct.png")), File.ReadAllBytes(path));
        Assert.Equal(["a.png", "direct.png"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void An_untitled_chart_draws_what_the_loss_plot_drew_by_hand()
    {
        var plot = new Plot();
        var t = plot.Add.Scatter(Steps, Loss);
        t.LegendText = "train";
        t.MarkerSize = 0;
        var v = plot.Add.Scatter(Steps[..2], Val);
        v.LegendText = "validation";
        plot.Axes.Bottom.Label.Text = "step";
        plot.Axes.Left.Label.Text = "loss (nats/token)";
        plot.ShowLegend();
        var expected = plot.GetImageBytes(LineChart.Width, LineChart.Height, ImageFormat.Png);

        var path = Path.Combine(_dir, "loss.png");
        LineChart.Save(path, null, "step", "loss (nats/token)", [new Series("train", Steps, Loss, MarkerSize: 0), new Series("validation", Steps[..2], Val)]);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_titled_chart_draws_what_the_rl_plots_drew_by_hand_and_leaves_out_empty_series()
    {
        var plot = new Plot();
        plot.Title("Reward");
        plot.Axes.Bottom.Label.Text = "RL step";
        plot.Axes.Left.Label.Text = "per rollout";
        var line = plot.Add.Scatter(Steps, Loss);
        line.LegendText = "reward (mean)";
        line.MarkerSize = 4;
        plot.ShowLegend(Alignment.LowerRight);
        var expected = plot.GetImageBytes(LineChart.Width, LineChart.Height, ImageFormat.Png);

        var path = Path.Combine(_dir, "reward.png");
        LineChart.Save(path, "Reward", "RL step", "per rollout", [new Series("reward (mean)", Steps, Loss, MarkerSize: 4), new Series("empty", [], [])]);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }
}
