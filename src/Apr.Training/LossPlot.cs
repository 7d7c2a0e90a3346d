// Draws the training and validation loss curves of a metrics log into a PNG (Apr.Plotting's LineChart). Written atomically.
using Apr.Plotting;

namespace Apr.Training;

/// <summary>PNG of train/val loss against step.</summary>
public static class LossPlot
{
    public static void Save(MetricsLog log, string path)
    {
        ArgumentNullException.ThrowIfNull(log);
        var (train, val) = log.Curves();
        if (train.Count == 0) return;
        LineChart.Save(path, title: null, "step", "loss (nats/token)",
        [
            new Series("train", train.Select(p => (double)p.Step).ToArray(), train.Select(p => p.Loss).ToArray(), MarkerSize: 0),
            new Series("validation", val.Select(p => (double)p.Step).ToArray(), val.Select(p => p.Loss).ToArray()),
        ]);
    }
}
