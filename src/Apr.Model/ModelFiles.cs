// Saves and loads a model directory: model.safetensors (weights, float32) + config.json. The writes are
// atomic (temp file, fsync, rename). Knows nothing of tokenizers or training state.
using static TorchSharp.torch;

using Apr.Core;

namespace Apr.Model;

/// <summary>Model directory I/O: <c>model.safetensors</c> and <c>config.json</c>.</summary>
public static class ModelFiles
{
    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";

    /// <summary>Writes the weights and config into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(LlamaForCausalLm model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, ConfigFile), s => s.Write(System.Text.Encoding.UTF8.GetBytes(model.Config.ToJson() + "\n")));
        SaveWeights(model, Path.Combine(directory, WeightsFile));
    }

    /// <summary>Loads a model saved by <see cref="Save"/>; every parameter must be present with its shape.</summary>
    public static LlamaForCausalLm Load(string directory)
    {
        var config = ModelConfig.Load(Path.Combine(directory, ConfigFile));
        var model = new LlamaForCausalLm(config);
        LoadWeights(model, Path.Combine(directory, WeightsFile));
        return model;
    }

    /// <summary>Writes a module's parameters (any network, e.g. a ranker's) as a safetensors file, atomically.</summary>
    public static void SaveWeights(TorchSharp.torch.nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        WriteTensors(path, model.named_parameters().Select(p => KeyValuePair.Create(p.name, (Tensor)p.parameter)).ToList());
    }

    /// <summary>Writes named tensors as a weights file (safetensors, metadata format "pt"), atomically.</summary>
    private static void WriteTensors(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors) =>
        AtomicFile.Write(path, s => SafeTensors.Write(s, tensors, new Dictionary<string, string> { ["format"] = "pt" }));

    /// <summary>
    /// Writes the elementwise mean of several safetensors files of one architecture (a uniform "model soup" of
    /// fine-tunes from the same weights, Wortsman et al. 2022) to <paramref name="path"/>, atomically. Every file must
    /// hold the same tensor names, shapes and dtypes (else an error naming the file and tensor, nothing written). Sums
    /// run in float64 and are stored in each tensor's own dtype.
    /// </summary>
    public static void WriteMean(IReadOnlyList<string> sources, string path)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("no weights to average", nameof(sources));
        var files = new List<Dictionary<string, Tensor>>();
        var mean = new List<KeyValuePair<string, Tensor>>();
        try
        {
            foreach (var source in sources) files.Add(SafeTensors.Read(source));
            var first = files[0];
            for (int i = 1; i < files.Count; i++)
            {
                var names = files[i].Keys.ToHashSet(StringComparer.Ordinal);
                if (!names.SetEquals(first.Keys))
                {
                    var differ = names.Except(first.Keys).Concat(first.Keys.Except(names)).Order(StringComparer.Ordinal).First();
                    throw new InvalidDataException($"{sources[i]}: its tensors differ from {sources[0]}'s (tensor {differ} is in one only): not the same architecture");
                }
                foreach (var (name, t) in first)
                {
                    var u = files[i][name];
                    if (!u.shape.SequenceEqual(t.shape) || u.dtype != t.dtype)
                        throw new InvalidDataException($"{sources[i]}: tensor {name} is {u.dtype} [{string.Join(", ", u.shape)}], {sources[0]} has {t.dtype} [{string.Join(", ", t.shape)}]");
                }
            }
            using var noGrad = no_grad();
            foreach (var (name, t) in first)
            {
                using var sum = zeros(t.shape, ScalarType.Float64);
                foreach (var file in files)
                {
                    using var d = file[name].to_type(ScalarType.Float64);
                    sum.add_(d);
                }
                using var m = sum.div(files.Count);
                mean.Add(KeyValuePair.Create(name, m.to_type(t.dtype)));
            }
            WriteTensors(path, mean);
        }
        finally
        {
            foreach (var file in files) foreach (var t in file.Values) t.Dispose();
            foreach (var (_, t) in mean) t.Dispose();
        }
    }

    /// <summary>Copies weights from a safetensors file into <paramref name="model"/> (any module), checking names and shapes.</summary>
    public static void LoadWeights(TorchSharp.torch.nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = SafeTensors.Read(path);
        try
        {
            var parameters = model.named_parameters().Select(p => (Name: p.name, Parameter: p.parameter)).ToList();
            var extra = tensors.Keys.Except(parameters.Select(p => p.Name)).ToList();
            if (extra.Count > 0) throw new InvalidDataException($"{path}: unknown tensors {string.Join(", ", extra)}");
            // Every name and shape is checked before the first copy: a bad file leaves the model as it was.
            foreach (var (name, p) in parameters)
            {
                if (!tensors.TryGetValue(name, out var t)) throw new InvalidDataException($"{path}: missing tensor {name}");
                if (!t.shape.SequenceEqual(p.shape))
                    throw new InvalidDataException($"{path}: {name} has shape [{string.Join(", ", t.shape)}], model expects [{string.Join(", ", p.shape)}]");
            }
            using var noGrad = no_grad();
            foreach (var (name, p) in parameters) p.copy_(tensors[name]);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
