// ExportTarget: where `apr export` may write, and how, so that it never deletes or overwrites what it did
// not create. A target may be new, empty, or an apr model directory (a manifest.json written by export, or
// config.json + model.safetensors beside nothing but export's own files, an earlier export's tokenizer.json
// included); anything else, and any target
// that is, contains or lies inside the source, is refused unless --force. The files are written as
// temporary `.export-PID-NAME` files inside the target and renamed over their names one by one
// (manifest.json deleted first and renamed last, so a directory without one is an unfinished export);
// nothing else in the directory is touched, and nothing is ever deleted recursively. Locking is RunLock's.
using System.Text.Json;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Cli;

internal static class ExportTarget
{
    private const string ScratchPrefix = ".export-";

    /// <summary>The files export writes; manifest.json last.</summary>
    public static IReadOnlyList<string> OwnFiles { get; } = [ModelFiles.WeightsFile, ModelFiles.ConfigFile, TokenizerFile.Name, ModelManifest.FileName];

    /// <summary>Why <paramref name="target"/> must not be written without --force, or null when it may be.</summary>
    public static string? Refusal(string target, IEnumerable<string> sources)
    {
        foreach (var source in sources.Select(Full).Distinct())
        {
            if (target == source) return $"--out {target} is the export's source";
            if (IsInside(source, target)) return $"--out {target} contains the export's source {source}";
            if (IsInside(target, source)) return $"--out {target} lies inside the export's source {source}";
        }
        if (!Directory.Exists(target)) return null;
        var foreign = Entries(target).Where(e => !OwnFiles.Contains(e) && e != TokenizerFile.LegacyName && !IsScratch(e)).ToList();
        if (HasExportManifest(target) || foreign.Count == 0 && (Entries(target).All(IsScratch) || HoldsModel(target))) return null;
        return $"--out {target} is not an apr model directory (it holds {string.Join(", ", foreign.Take(3))}{(foreign.Count > 3 ? ", ..." : "")})";
    }

    /// <summary>
    /// Files being written into a target: each goes to a temporary file beside its name (<see cref="Add"/>);
    /// <see cref="Commit"/> deletes manifest.json and renames them into place in the order added (manifest
    /// last); disposing deletes whatever temporary file is left.
    /// </summary>
    public sealed class Stage(string target) : IDisposable
    {
        private readonly List<(string Name, string Temp)> _files = [];

        /// <summary>Writes <paramref name="name"/>'s content through <paramref name="write"/>(temporary path); returns that path.</summary>
        public string Add(string name, Action<string> write)
        {
            var temp = Path.Combine(target, $"{ScratchPrefix}{Environment.ProcessId}-{name}");
            _files.Add((name, temp));
            write(temp);
            return temp;
        }

        public void Commit()
        {
            var manifest = Path.Combine(target, ModelManifest.FileName);
            if (File.Exists(manifest)) File.Delete(manifest);
            foreach (var (name, temp) in _files) File.Move(temp, Path.Combine(target, name), overwrite: true);
        }

        public void Dispose()
        {
            foreach (var (_, temp) in _files)
                if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Deletes the temporary files an interrupted export left in <paramref name="target"/> (call it holding the lock).</summary>
    public static void CleanScratch(string target)
    {
        foreach (var f in Directory.GetFiles(target, ScratchPrefix + "*")) File.Delete(f);
    }

    private static bool IsInside(string path, string directory) =>
        path.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static bool IsScratch(string name) => name.StartsWith(ScratchPrefix, StringComparison.Ordinal) || name == Apr.Training.RunLock.FileName;

    private static bool HoldsModel(string dir) => File.Exists(Path.Combine(dir, ModelFiles.ConfigFile)) && File.Exists(Path.Combine(dir, ModelFiles.WeightsFile));

    private static bool HasExportManifest(string dir)
    {
        var path = Path.Combine(dir, ModelManifest.FileName);
        if (!File.Exists(path)) return false;
        try { return ModelManifest.Read(path) is { Format: > 0, Files: not null, Config.ValueKind: JsonValueKind.Object }; }
        catch (InvalidDataException) { return false; }
    }

    private static IEnumerable<string> Entries(string dir) => Directory.EnumerateFileSystemEntries(dir).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal);

    public static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
