// ModelLocator: where `apr solve` and `apr eval` find a model when --model is not given ($APR_MODEL, else
// the shipped models/<apr|sosp> beside the executable or above it), and loading one with a one-line
// error instead of a stack trace.
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Cli;

internal static class ModelLocator
{
    /// <summary>$APR_MODEL, else models/&lt;apr|sosp&gt; beside the executable or above it (the repository's shipped models).</summary>
    public static string? Default(SolveMethod method, bool useEnvironment = true)
    {
        if (useEnvironment && Environment.GetEnvironmentVariable("APR_MODEL") is { Length: > 0 } env) return env;
        var name = method == SolveMethod.Apr ? "apr" : "sosp";
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "models", name);
            if (File.Exists(Path.Combine(candidate, ModelFiles.ConfigFile))) return candidate;
        }
        return null;
    }

    /// <summary>The conditioning prefix the model was trained to read (its manifest), with a one-line error on a bad manifest.</summary>
    public static ModelConditioning Conditioning(string dir)
    {
        try { return ModelConditioning.Read(dir); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new CliException($"cannot read the model's manifest: {e.Message}");
        }
    }

    public static (LlamaForCausalLm Model, TraceTokenizer Tokenizer) Load(string dir)
    {
        try { return ModelLoader.Load(dir); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException)
        {
            throw new CliException($"cannot load the model: {e.Message}");
        }
    }
}
