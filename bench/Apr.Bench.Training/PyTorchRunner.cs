// Runs pytorch_train_bench.py with the same model shape, batch and sequence length, and reads its JSON.
// Uses $APR_PYTHON, else /usr/bin/python3 (Debian's python3-torch), else python3 on the PATH.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Apr.Model;

namespace Apr.Bench.Training;

internal static class PyTorchRunner
{
    public static string Python =>
        Environment.GetEnvironmentVariable("APR_PYTHON") ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

    /// <summary>(tokens/s, median step seconds, torch version), or null with the reason when PyTorch cannot run.</summary>
    public static (double TokensPerSecond, double StepSeconds, string Version)? Run(ModelConfig c, int batch, int seq, int steps, int warmup, int threads, out string? error)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "pytorch_train_bench.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { script, "--vocab", $"{c.VocabSize}", "--hidden", $"{c.HiddenSize}", "--layers", $"{c.NumHiddenLayers}",
                                        "--heads", $"{c.NumAttentionHeads}", "--ffn", $"{c.IntermediateSize}", "--batch", $"{batch}", "--seq", $"{seq}",
                                        "--steps", $"{steps}", "--warmup", $"{warmup}", "--threads", $"{threads}" })
            start.ArgumentList.Add(arg);
        try
        {
            using var p = Process.Start(start)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                error = $"{Python} exited with {p.ExitCode}: {stderr.Trim()}";
                return null;
            }
            var o = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
            error = null;
            return (o["tokens_per_s"]!.GetValue<double>(), o["median_step_s"]!.GetValue<double>(), o["torch_version"]!.GetValue<string>());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error = $"cannot start {Python}: {e.Message} (install Debian's python3-torch)";
            return null;
        }
    }
}
