// The shipped models under models/ are what this build writes and their manifests say what they hold:
// every listed file with its size and sha256, the tokenizer under its name (apr-tokenizer.json), and a
// config.json holding exactly what ModelConfig writes (Hugging Face fields only). A number-MLP ranker holds only its
// weights (and ranker.json), a mean ranker only its ranker.json: each must load and rate a 2-number state that makes the
// target above one that cannot. A model whose manifest names a value (value_model, value_model_by_size) names shipped
// rankers that load.
using System.Security.Cryptography;
using System.Text.Json;
using Apr.Evaluation;
using Apr.Inference;
using Apr.Model;
using Apr.Testing;
using Apr.Tokenization;

namespace Apr.Cli.Tests;

public sealed class ShippedModelsTests
{
    public static TheoryData<string> Models => new(Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "models")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Models))]
    public void A_shipped_model_holds_the_files_its_manifest_lists_and_a_config_json_as_this_build_writes_it(string name)
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "models", name);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, f.GetProperty("name").GetString()!));
            Assert.Equal(f.GetProperty("bytes").GetInt64(), bytes.Length);
            Assert.Equal(f.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var network = manifest.RootElement.TryGetProperty("network", out var n) ? n.GetString() : null;
        if (network is ReachabilityScorer.NumberMlpNetwork or Rankers.MeanNetwork)
        {
            // A number-MLP ranker holds its weights only (its shape is in ranker.json), a mean ranker its ranker.json only
            // (its members are other shipped rankers); each loads and rates states.
            Assert.Equal([network == Rankers.MeanNetwork ? ReachabilityScorer.ManifestFile : ModelFiles.WeightsFile], files.Select(f => f.GetProperty("name").GetString()));
            using var scorer = Rankers.Load(dir);
            var scores = new double[2];
            scorer.Score(24, [[4, 6], [5, 7]], scores);
            Assert.True(scores[0] > scores[1], $"4 * 6 = 24 scored {scores[0]:F3}, 5 and 7 (no way to 24) {scores[1]:F3}");
            return;
        }
        Assert.Equal([TokenizerFile.Name, ModelFiles.ConfigFile, ModelFiles.WeightsFile], files.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal(TokenizerFile.Name, manifest.RootElement.GetProperty("tokenizer").GetProperty("file").GetString());
        Assert.Equal(Path.Combine(dir, TokenizerFile.Name), TokenizerFile.Find(dir));
        var configPath = Path.Combine(dir, ModelFiles.ConfigFile);
        Assert.Equal(ModelConfig.Load(configPath).ToJson() + "\n", File.ReadAllText(configPath));
        // A trace model decoded with a value names a shipped ranker that loads (a Llama ranker is no trace model).
        var conditioning = File.Exists(Path.Combine(dir, ReachabilityScorer.ManifestFile)) ? ModelConditioning.None : ModelConditioning.Read(dir);
        foreach (var value in (conditioning.ValueModelBySize?.Values ?? []).Prepend(conditioning.ValueModel).OfType<string>())
        {
            Assert.StartsWith(Path.Combine(TestPaths.RepoRoot, "models") + Path.DirectorySeparatorChar, value);
            using var scorer = Rankers.Load(value);
        }
    }
}
