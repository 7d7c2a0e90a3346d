// PngFile: renders a ScottPlot plot to PNG bytes and writes them with AtomicFile, so a figure on disk is
// the old one or the new one, never half-drawn. The bytes are those ScottPlot's own SavePng writes (a test).
// Knows nothing of what is plotted.
using Apr.Core;
using ScottPlot;

namespace Apr.Plotting;

public static class PngFile
{
    /// <summary>Renders <paramref name="plot"/> at <paramref name="width"/> x <paramref name="height"/> pixels into <paramref name="path"/>, atomically.</summary>
    public static void Save(Plot plot, string path, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, s => s.Write(png));
    }
}
