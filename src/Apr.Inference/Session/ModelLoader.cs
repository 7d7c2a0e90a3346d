// ModelLoader: the one resolver of model directories and the loader behind InferenceSession. A path is
// a model directory (config.json + model.safetensors, optional apr-tokenizer.json or the older
// tokenizer.json), a checkpoint written by `apr train`, or a training run directory (its
// checkpoints/latest is used); with no path, $APR_MODEL or the shipped models/<method> beside the
// executable or above it. Checks that the tokenizer fits the model's vocabulary. A ranker directory (a
// reachability classifier for `apr eval --ranker`, marked by its ranker.json; models/ranker5 is one) has the same
// files but is no model of the trace language: loading it as one is refused by name, since it would decode nonsense.
using Apr.Model;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

public static class ModelLoader
{
    /// <summary>The manifest that marks a ranker directory (written by bench/Apr.Bench.Ranking --save, read by Apr.Evaluation's ReachabilityScorer).</summary>
    public const string RankerManifest = "ranker.json";

    /// <summary>$APR_MODEL (if <paramref name="useEnvironment"/>), else models/&lt;apr|sosp&gt; beside the executable or above it (the repository's shipped models); null if none.</summary>
    public static string? Default(SearchMethod method, bool useEnvironment = true)
    {
        if (useEnvironment && Environment.GetEnvironmentVariable("APR_MODEL") is { Length: > 0 } env) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "models", method.WireName());
            if (File.Exists(Path.Combine(candidate, ModelFiles.ConfigFile))) return candidate;
        }
        return null;
    }

    /// <summary>The directory that holds config.json and model.safetensors for <paramref name="path"/>.</summary>
    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"model directory '{path}' does not exist");
        if (File.Exists(Path.Combine(path, RankerManifest)))
            throw new InvalidDataException($"'{path}' is a ranker ({RankerManifest}: a reachability classifier for `apr eval --ranker`), not a model of the trace language");
        if (File.Exists(Path.Combine(path, ModelFiles.ConfigFile))) return path;
        var latest = Path.Combine(path, "checkpoints", "latest");
        if (File.Exists(latest))
        {
            var dir = Path.Combine(path, "checkpoints", File.ReadAllText(latest).Trim());
            if (File.Exists(Path.Combine(dir, ModelFiles.ConfigFile))) return dir;
        }
        throw new FileNotFoundException($"'{path}' holds no {ModelFiles.ConfigFile} (nor checkpoints/latest pointing at one): not a model or training run directory");
    }

    /// <summary>Loads the model and its tokenizer (its <see cref="TokenizerFile"/> beside it, else the default vocabulary).</summary>
    public static (LlamaForCausalLm Model, TraceTokenizer Tokenizer) Load(string path)
    {
        var dir = Resolve(path);
        var tokenizerPath = TokenizerFile.Find(dir);
        var tokenizer = tokenizerPath is null ? TraceTokenizer.Default : ReadTokenizer(tokenizerPath);
        var model = ModelFiles.Load(dir);
        if (model.Config.VocabSize < tokenizer.VocabSize)
        {
            model.Dispose();
            throw new InvalidDataException($"{dir}: the model's vocabulary ({model.Config.VocabSize}) is smaller than the tokenizer's ({tokenizer.VocabSize})");
        }
        return (model, tokenizer);
    }

    /// <summary>The model's tokenizer and config without its weights (a session whose model runs on remote servers).</summary>
    public static (ModelConfig Config, TraceTokenizer Tokenizer) LoadTokenizer(string path)
    {
        var dir = Resolve(path);
        var tokenizerPath = TokenizerFile.Find(dir);
        var tokenizer = tokenizerPath is null ? TraceTokenizer.Default : ReadTokenizer(tokenizerPath);
        var config = ModelConfig.Load(Path.Combine(dir, ModelFiles.ConfigFile));
        if (config.VocabSize < tokenizer.VocabSize)
            throw new InvalidDataException($"{dir}: the model's vocabulary ({config.VocabSize}) is smaller than the tokenizer's ({tokenizer.VocabSize})");
        return (config, tokenizer);
    }

    /// <summary>The tokenizer file at <paramref name="path"/>; a bad one is an error naming the file.</summary>
    private static TraceTokenizer ReadTokenizer(string path)
    {
        try { return TraceTokenizer.FromJson(File.ReadAllText(path)); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }
}
