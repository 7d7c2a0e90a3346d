// EvalPlots: the evaluation's figures as PNGs (ScottPlot), one per comparison of reference section 8:
// accuracy against the context limit, against mean total tokens, against mean sequential tokens and
// against wall-clock latency. Models are solid lines, the random-choice policy dashed, the symbolic
// solver dotted. A plot with nothing to show is not written. Files are written atomically (Apr.Plotting).
using Apr.Inference;
using Apr.Plotting;
using ScottPlot;
using Apr.Protocol;

namespace Apr.Evaluation;

public static class EvalPlots
{
    /// <summary>Writes the plots the summaries support into <paramref name="dir"/>; returns the file names written.</summary>
    public static List<string> Save(IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, string dir, int referenceContext,
        IReadOnlyList<FrontierLine>? frontier = null, EvalRunInfo? info = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var written = new List<string>();
        void Keep(string? name) { if (name is not null) written.Add(name); }
        Keep(Context(results.Where(r => (r.Sweeps & (EvalSweeps.Greedy | EvalSweeps.Context)) != 0).Select(r => r.Summary).ToList(), dir, referenceContext));
        Keep(Tokens(results, dir));
        var latency = results.Where(r => r.Sweeps.HasFlag(EvalSweeps.Latency)).Select(r => r.Summary).ToList();
        Keep(Cost(latency, dir, "sequential.png", "mean sequential tokens per problem", s => s.MeanSequentialTokens, "Accuracy against sequential tokens (greedy)"));
        Keep(Cost(latency.Where(s => s.MeanLatencyMs is not null).ToList(), dir, "latency.png", "mean wall-clock latency per problem (ms, one problem at a time)",
            s => s.MeanLatencyMs!.Value, "Accuracy against latency on this machine (greedy)", latency.Where(s => s.MeanLatencyMs is null).ToList()));
        if (frontier is { Count: > 0 } && info is not null)
        {
            Keep(Frontier(frontier, info.Budgets ?? [], l => l.AtTotal, dir, "budget.png", "total tokens per problem at most (cap)", "Accuracy under a total-token cap"));
            Keep(Frontier(frontier, info.SequentialCaps ?? [], l => l.AtSequential, dir, "budget-sequential.png", "sequential tokens per problem at most (cap)", "Accuracy under a sequential-token cap"));
        }
        return written;
    }

    private static string? Frontier(IReadOnlyList<FrontierLine> lines, IReadOnlyList<int> caps, Func<FrontierLine, IReadOnlyList<double?>> at, string dir, string file, string xLabel, string title)
    {
        if (caps.Count == 0) return null;
        var plot = NewPlot(title);
        int trees = 0, ranked = 0;
        foreach (var l in lines)
        {
            var points = caps.Select((c, i) => (c, a: at(l)[i])).Where(p => p.a is not null).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => (double)p.c).ToArray(), points.Select(p => 100 * p.a!.Value).ToArray());
            line.LegendText = l.Label;
            line.LineWidth = l.Learned ? 3 : 1.5f;
            line.MarkerSize = 6;
            line.LinePattern = l.Learned ? LinePattern.Solid : l.Policy == EvalPolicy.Symbolic ? LinePattern.Dotted : LinePattern.Dashed;
            line.Color = l.Name.StartsWith("apr-symbolic-", StringComparison.Ordinal) ? TreeColors[trees++ % TreeColors.Length]
                       : l.Name.StartsWith("apr-ranked-", StringComparison.Ordinal) ? TreeColors[ranked++ % TreeColors.Length] : FrontierColor(l);
        }
        plot.Axes.Bottom.Label.Text = xLabel;
        return Finish(plot, dir, file, Alignment.UpperLeft);
    }

    // The width-capped symbolic trees (apr-symbolic-b2c2...): one colour each, apart from the other policies'.
    private static readonly ScottPlot.Color[] TreeColors = [Colors.DarkOrange, Colors.ForestGreen, Colors.Teal, Colors.SaddleBrown, Colors.Magenta, Colors.Olive, Colors.Gold];

    private static ScottPlot.Color FrontierColor(FrontierLine l)
    {
        bool apr = l.Method == SearchMethod.Apr;
        return l.Policy switch
        {
            EvalPolicy.Model when l.ToldBudget => apr ? Colors.Crimson : Colors.RoyalBlue,
            EvalPolicy.Model when l.Name.EndsWith("-cons", StringComparison.Ordinal) => Colors.SteelBlue,
            EvalPolicy.Model => apr ? Colors.Orange : Colors.DeepSkyBlue,
            EvalPolicy.Enumerate => apr ? Colors.Black : Colors.DimGray,
            EvalPolicy.Random => apr ? Colors.Purple : Colors.MediumPurple,
            EvalPolicy.Uniform => apr ? Colors.LightCoral : Colors.LightSteelBlue,
            _ => apr ? Colors.DarkRed : Colors.Navy,
        };
    }

    private static string? Context(List<ConditionSummary> conditions, string dir, int referenceContext)
    {
        if (conditions.Count == 0) return null;
        var plot = NewPlot("Accuracy against the context limit (greedy; a sample counts only if every thread fits)");
        foreach (var s in conditions)
        {
            var line = plot.Add.Scatter(s.ContextCurve.Select(p => (double)p.Context).ToArray(), s.ContextCurve.Select(p => 100 * p.Accuracy).ToArray());
            Style(line, s.Condition);
            line.MarkerSize = 3;
        }
        var v = plot.Add.VerticalLine(referenceContext);
        v.LinePattern = LinePattern.Dotted;
        v.Color = Colors.Gray;
        v.LegendText = $"{referenceContext} tokens (about the paper's 4,096)";
        plot.Axes.Bottom.Label.Text = "context limit per thread (tokens)";
        return Finish(plot, dir, "context.png", Alignment.UpperLeft);
    }

    private static string? Tokens(IReadOnlyList<(ConditionSummary Summary, EvalSweeps Sweeps)> results, string dir)
    {
        var tokens = results.Where(r => r.Sweeps.HasFlag(EvalSweeps.Tokens)).Select(r => r.Summary).ToList();
        if (tokens.Count == 0) return null;
        var plot = NewPlot("Accuracy against mean total tokens per problem (sampled)");
        foreach (var s in tokens.Where(s => s.AtK.Count > 0))
        {
            var cons = plot.Add.Scatter(s.AtK.Select(a => a.MeanTotalTokens).ToArray(), s.AtK.Select(a => 100 * a.ConsAtK).ToArray());
            Style(cons, s.Condition);
            cons.LegendText = $"{s.Condition.Label} cons@1..{s.AtK.Count}";
            var pass = plot.Add.Scatter(s.AtK.Select(a => a.MeanTotalTokens).ToArray(), s.AtK.Select(a => 100 * a.PassAtK).ToArray());
            Style(pass, s.Condition);
            pass.LegendText = $"{s.Condition.Label} pass@1..{s.AtK.Count}";
            pass.LinePattern = LinePattern.DenselyDashed;
        }
        foreach (var group in tokens.Where(s => s.AtK.Count == 0).GroupBy(s => (s.Condition.Method, s.Condition.Policy)))
        {
            var points = group.OrderBy(s => s.MeanTotalTokens).ToList();
            var line = plot.Add.Scatter(points.Select(s => s.MeanTotalTokens).ToArray(), points.Select(s => 100 * s.Accuracy).ToArray());
            Style(line, points[0].Condition);
            line.LegendText = points.Count > 1 ? $"{points[0].Condition.Label} (child-thread budgets)" : points[0].Condition.Label;
        }
        foreach (var s in results.Where(r => (r.Sweeps & (EvalSweeps.Greedy | EvalSweeps.Context)) != 0 && r.Summary.Condition.Policy == EvalPolicy.Symbolic).Select(r => r.Summary))
        {
            var point = plot.Add.Scatter(new[] { s.MeanTotalTokens }, new[] { 100 * s.Accuracy });
            Style(point, s.Condition);
            point.MarkerSize = 9;
        }
        plot.Axes.Bottom.Label.Text = "mean total tokens per problem (all threads; n samples summed)";
        return Finish(plot, dir, "tokens.png");
    }

    private static string? Cost(List<ConditionSummary> conditions, string dir, string file, string xLabel, Func<ConditionSummary, double> x, string title, List<ConditionSummary>? levels = null)
    {
        if (conditions.Count == 0) return null;
        var plot = NewPlot(title);
        foreach (var group in conditions.GroupBy(s => (s.Condition.Method, s.Condition.Policy)))
        {
            var points = group.OrderBy(x).ToList();
            var line = plot.Add.Scatter(points.Select(x).ToArray(), points.Select(s => 100 * s.Accuracy).ToArray());
            Style(line, points[0].Condition);
            line.MarkerSize = 7;
            line.LegendText = points.Count > 1 ? $"{points[0].Condition.Label} (budgets)" : points[0].Condition.Label;
        }
        foreach (var s in levels ?? [])
        {
            var h = plot.Add.HorizontalLine(100 * s.Accuracy);
            h.LinePattern = LinePattern.Dotted;
            h.Color = Color(s.Condition);
            h.LegendText = $"{s.Condition.Label} (no latency: accuracy only)";
        }
        plot.Axes.Bottom.Label.Text = xLabel;
        return Finish(plot, dir, file);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.Axes.Left.Label.Text = "accuracy (%)";
        return plot;
    }

    private static void Style(ScottPlot.Plottables.Scatter line, EvalCondition c)
    {
        line.LegendText = c.Label;
        line.Color = Color(c);
        line.LineWidth = 2;
        line.LinePattern = c.Policy switch
        {
            EvalPolicy.Uniform => LinePattern.Dashed,
            EvalPolicy.Symbolic => LinePattern.Dotted,
            _ => LinePattern.Solid,
        };
        if (c.SubCallBudget is not null || c.TokenBudget is not null) line.LineWidth = 1;
    }

    private static ScottPlot.Color Color(EvalCondition c)
    {
        bool apr = c.Method == SearchMethod.Apr;
        var color = c.Policy switch
        {
            EvalPolicy.Model => apr ? Colors.Crimson : Colors.RoyalBlue,
            EvalPolicy.Uniform => apr ? Colors.LightCoral : Colors.LightSteelBlue,
            _ => apr ? Colors.DarkRed : Colors.Navy,
        };
        if (c.Policy == EvalPolicy.Model && (c.SubCallBudget ?? c.TokenBudget) is int b)
            color = color.WithAlpha(0.35 + 0.6 * Math.Min(1.0, Math.Log2(1 + b) / 12));
        return color;
    }

    private static string Finish(Plot plot, string dir, string file, Alignment legend = Alignment.LowerRight)
    {
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(legend);
        PngFile.Save(plot, Path.Combine(dir, file), 1000, 650);
        return file;
    }
}
