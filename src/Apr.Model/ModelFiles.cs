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
        var tensors = model.named_parameters().Select(p => KeyValuePair.Create(p.name, (Tensor)p.parameter)).ToList();
        AtomicFile.Write(path, s => SafeTensors.Write(s, tensors, new Dictionary<string, string> { ["format"] = "pt" }));
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
