// RunDirectory: what `apr train` and `apr rl` do to their --out before the first step, while holding its
// RunLock: delete the temporary files a killed process left (checkpoint staging directories, AtomicFile's
// `.NAME.PID.GUID.tmp` beside metrics.jsonl or checkpoints/latest, and the older `*.tmp-PID`, `latest.tmp-*`
// and `*.tmp.png`); refuse to start a new run where one exists (checkpoints/ or metrics.jsonl) unless
// resuming; and, when told to start over, delete exactly the run's own files (checkpoint files by name,
// metrics.jsonl, the plots), saying what went. A file apr did not write is never deleted: a checkpoint
// directory holding one is left in place and the start fails with its name.
using Apr.Tokenization;

namespace Apr.Training;

public static class RunDirectory
{
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>The files a checkpoint directory (checkpoints/step-N) holds (the tokenizer under its current or its earlier name).</summary>
    public static IReadOnlyList<string> CheckpointFiles { get; } =
        [Apr.Model.ModelFiles.WeightsFile, Apr.Model.ModelFiles.ConfigFile, TokenizerFile.Name, TokenizerFile.LegacyName, CheckpointStore.OptimizerFile, CheckpointStore.StateFile];

    /// <summary>True when <paramref name="directory"/> holds a run: checkpoints/ or metrics.jsonl.</summary>
    public static bool HoldsRun(string directory) =>
        Directory.Exists(Path.Combine(directory, "checkpoints")) || File.Exists(Path.Combine(directory, MetricsFile));

    /// <summary>
    /// Gets <paramref name="directory"/> ready for a run (call it holding the directory's RunLock): cleans
    /// leftovers, then refuses an existing run unless <paramref name="resume"/>, or with <paramref name="force"/>
    /// removes its checkpoints, metrics.jsonl and <paramref name="outputs"/> (plots), telling <paramref name="notice"/>.
    /// </summary>
    public static void Prepare(string directory, bool resume, bool force, IReadOnlyList<string> outputs, Action<string>? notice)
    {
        var leftovers = CleanLeftovers(directory);
        if (leftovers.Count > 0) notice?.Invoke($"removed {leftovers.Count} temporary file(s) an interrupted run left in {directory}: {string.Join(", ", leftovers)}");
        if (resume || !HoldsRun(directory)) return;
        var what = Describe(directory, outputs);
        if (!force)
            throw new RunDirectoryException(RunDirectoryRefusal.ExistingRun, directory, what);
        StartOver(directory, outputs);
        notice?.Invoke($"starting over in {directory}: deleted {what}");
    }

    /// <summary>Deletes the temporary files of interrupted writes; returns their paths relative to <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> CleanLeftovers(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (var pattern in new[] { "*.tmp-*", ".*.tmp", "*.tmp.png" })
            foreach (var f in Directory.GetFiles(directory, pattern)) Remove(f);
        var checkpoints = Path.Combine(directory, "checkpoints");
        if (Directory.Exists(checkpoints))
        {
            foreach (var pattern in new[] { "latest.tmp-*", ".latest.*.tmp" })
                foreach (var f in Directory.GetFiles(checkpoints, pattern)) Remove(f);
            foreach (var d in Directory.GetDirectories(checkpoints, ".step-*.tmp-*"))
            {
                foreach (var f in CheckpointFiles.Select(n => Path.Combine(d, n)).Where(File.Exists)) File.Delete(f);
                if (!Directory.EnumerateFileSystemEntries(d).Any())
                {
                    Directory.Delete(d);
                    removed.Add(Path.GetRelativePath(directory, d) + "/");
                }
            }
        }
        return removed;

        void Remove(string f)
        {
            File.Delete(f);
            removed.Add(Path.GetRelativePath(directory, f));
        }
    }

    private static string Describe(string directory, IReadOnlyList<string> outputs)
    {
        var parts = new List<string>();
        var checkpoints = Path.Combine(directory, "checkpoints");
        if (Directory.Exists(checkpoints))
        {
            var steps = Directory.GetDirectories(checkpoints, "step-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            parts.Add(steps.Count == 0 ? "checkpoints/" : $"checkpoints/ ({string.Join(", ", steps)})");
        }
        parts.AddRange(new[] { MetricsFile }.Concat(outputs).Where(f => File.Exists(Path.Combine(directory, f))));
        return string.Join(", ", parts);
    }

    private static void StartOver(string directory, IReadOnlyList<string> outputs)
    {
        var checkpoints = Path.Combine(directory, "checkpoints");
        if (Directory.Exists(checkpoints))
        {
            foreach (var d in Directory.GetDirectories(checkpoints, "step-*"))
            {
                foreach (var f in CheckpointFiles.Select(n => Path.Combine(d, n)).Where(File.Exists)) File.Delete(f);
                DeleteIfEmpty(d);
            }
            var latest = Path.Combine(checkpoints, "latest");
            if (File.Exists(latest)) File.Delete(latest);
            DeleteIfEmpty(checkpoints);
        }
        foreach (var f in new[] { MetricsFile }.Concat(outputs).Select(n => Path.Combine(directory, n)).Where(File.Exists)) File.Delete(f);
    }

    private static void DeleteIfEmpty(string dir)
    {
        var foreign = Directory.EnumerateFileSystemEntries(dir).Take(3).Select(Path.GetFileName).ToList();
        if (foreign.Count > 0)
            throw new RunDirectoryException(RunDirectoryRefusal.ForeignFiles, dir, string.Join(", ", foreign));
        Directory.Delete(dir);
    }
}
