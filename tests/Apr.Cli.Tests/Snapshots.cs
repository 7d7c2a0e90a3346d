// Snapshots: every file under a directory with its sha256, to assert that a refused command left each
// one in place, byte for byte.
using System.Security.Cryptography;

namespace Apr.Cli.Tests;

internal static class Snapshots
{
    public static SortedDictionary<string, string> Of(string directory) => new(
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))),
        StringComparer.Ordinal);

    /// <summary>
    /// A run as `apr train` leaves it (valid config, stand-in weights), plus a file of the user's; returns the run directory.
    /// <paramref name="tokenizerFile"/>: tokenizer.json makes it a run of an earlier version.
    /// </summary>
    public static string FakeRun(string parent, string name = "run", string tokenizerFile = "apr-tokenizer.json")
    {
        var run = Path.Combine(parent, name);
        var step = Path.Combine(run, "checkpoints", "step-000004");
        Directory.CreateDirectory(step);
        File.WriteAllText(Path.Combine(step, "config.json"), Apr.Model.ModelConfig.Tiny(1300).ToJson() + "\n"); // as CheckpointStore writes it
        File.WriteAllText(Path.Combine(step, "model.safetensors"), "weights");
        File.WriteAllText(Path.Combine(step, tokenizerFile), "{}");
        File.WriteAllText(Path.Combine(step, "optimizer.safetensors"), "moments");
        File.WriteAllText(Path.Combine(step, "state.json"), "{\"step\":4,\"seed\":1}");
        File.WriteAllText(Path.Combine(run, "checkpoints", "latest"), "step-000004\n");
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), "{\"step\":4,\"loss\":2.5}\n");
        File.WriteAllText(Path.Combine(run, "notes.txt"), "the user's notes");
        return run;
    }
}
