// Checkpoints of a run directory: checkpoints/step-NNNNNN/ holding model.safetensors, config.json,
// apr-tokenizer.json, optimizer.safetensors and state.json, plus checkpoints/latest naming the newest complete
// one. A checkpoint is written into a temporary directory, every file flushed to disk, then renamed into
// place, and only then does `latest` (itself replaced atomically) point at it: a crash mid-save leaves the
// previous checkpoint as the latest. Does not know how to train.
using Apr.Core;
using Apr.Model;
using Apr.Tokenization;
using static TorchSharp.torch;

namespace Apr.Training;

/// <summary>Saves, finds and prunes checkpoints under <c>OUT/checkpoints</c>.</summary>
public sealed class CheckpointStore(string runDirectory)
{
    public const string OptimizerFile = "optimizer.safetensors";
    public const string StateFile = "state.json";

    public string Root { get; } = Path.Combine(runDirectory, "checkpoints");

    /// <summary>The newest complete checkpoint directory, or null.</summary>
    public string? Latest()
    {
        string pointer = Path.Combine(Root, "latest");
        if (!File.Exists(pointer)) return null;
        string dir = Path.Combine(Root, File.ReadAllText(pointer).Trim());
        return Directory.Exists(dir) ? dir : throw new InvalidDataException($"{pointer} names {dir}, which does not exist");
    }

    /// <summary>Writes a checkpoint for <paramref name="state"/> and makes it the latest; keeps the newest <paramref name="keep"/>.</summary>
    public string Save(ModelConfig config, IEnumerable<KeyValuePair<string, Tensor>> weights, AdamW optimizer,
                       string tokenizerJson, TrainingState state, int keep)
    {
        string name = $"step-{state.Step:D6}";
        string final = Path.Combine(Root, name);
        string temp = Path.Combine(Root, $".{name}.tmp-{Environment.ProcessId}");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        Write(Path.Combine(temp, ModelFiles.WeightsFile), s => SafeTensors.Write(s, weights, new Dictionary<string, string> { ["format"] = "pt" }));
        WriteText(Path.Combine(temp, ModelFiles.ConfigFile), config.ToJson() + "\n");
        WriteText(Path.Combine(temp, TokenizerFile.Name), tokenizerJson);
        Write(Path.Combine(temp, OptimizerFile), s => SafeTensors.Write(s, optimizer.State(),
            new Dictionary<string, string> { ["steps"] = optimizer.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        WriteText(Path.Combine(temp, StateFile), state.ToJson() + "\n");
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
        AtomicFile.WriteAllText(Path.Combine(Root, "latest"), name + "\n");
        Prune(keep, name);
        return final;
    }

    /// <summary>The training state of a checkpoint directory.</summary>
    public static TrainingState ReadState(string checkpoint)
    {
        var path = Path.Combine(checkpoint, StateFile);
        try { return TrainingState.FromJson(File.ReadAllText(path)); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    /// <summary>Restores the optimizer state of a checkpoint directory.</summary>
    public static void LoadOptimizer(string checkpoint, AdamW optimizer)
    {
        string path = Path.Combine(checkpoint, OptimizerFile);
        long steps = long.Parse(SafeTensors.ReadMetadata(path)["steps"], System.Globalization.CultureInfo.InvariantCulture);
        var tensors = SafeTensors.Read(path);
        try { optimizer.Load(tensors, steps); }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    /// <summary>A model directory for <paramref name="path"/>: itself if it holds config.json, else its run's latest checkpoint.</summary>
    public static string ResolveModelDirectory(string path)
    {
        if (File.Exists(Path.Combine(path, ModelFiles.ConfigFile))) return path;
        return new CheckpointStore(path).Latest() ?? throw new FileNotFoundException($"{path} holds neither config.json nor checkpoints/latest");
    }

    private void Prune(int keep, string newest)
    {
        var dirs = Directory.GetDirectories(Root, "step-*").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        foreach (var old in dirs.Take(Math.Max(0, dirs.Count - Math.Max(1, keep))))
            if (old != newest) Directory.Delete(Path.Combine(Root, old!), recursive: true);
        foreach (var stale in Directory.GetDirectories(Root, ".step-*.tmp-*"))
            Directory.Delete(stale, recursive: true);
    }

    private static void Write(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        write(stream);
        stream.Flush(flushToDisk: true);
    }

    private static void WriteText(string path, string text) => Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));
}
