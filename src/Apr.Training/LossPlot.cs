// Draws the training and validation loss curves of a metrics log into a PNG (ScottPlot). Written atomically.
namespace Apr.Training;

/// <summary>PNG of train/val loss against step.</summary>
public static class LossPlot
{
    public static void Save(MetricsLog log, string path)
    {
        ArgumentNullException.ThrowIfNull(log);
        var (train, val) = log.Curves();
        if (train.Count == 0) return;
        var plot = new ScottPlot.Plot();
        var t = plot.Add.Scatter(train.Select(p => (double)p.Step).ToArray(), train.Select(p => p.Loss).ToArray());
        t.LegendText = "train";
        t.MarkerSize = 0;
        if (val.Count > 0)
        {
            var v = plot.Add.Scatter(val.Select(p => (double)p.Step).ToArray(), val.Select(p => p.Loss).ToArray());
            v.LegendText = "validation";
        }
        plot.Axes.Bottom.Label.Text = "step";
        plot.Axes.Left.Label.Text = "loss (nats/token)";
        plot.ShowLegend();
        string temp = path + ".tmp.png";
        plot.SavePng(temp, 800, 500);
        File.Move(temp, path, overwrite: true);
    }
}
