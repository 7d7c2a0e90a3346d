// manifest.json is typed (ModelManifest, source-generated JSON): the shipped manifests read back and
// write the same bytes; the prefixes a model reads come from it; a manifest that is not one, or has
// bad budget fields, is an error naming the file.
using System.Text.Json;
using Apr.Inference;
using Apr.Testing;

namespace Apr.Inference.Tests;

public sealed class ManifestJsonTests
{
    [Theory]
    [InlineData("apr")]
    [InlineData("apr-sft")]
    [InlineData("sosp")]
    public void Shipped_manifests_round_trip_byte_for_byte(string model)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "models", model, ModelManifest.FileName);
        var manifest = ModelManifest.Read(path);
        Assert.Equal(model, manifest.Name);
        Assert.Equal(3, manifest.Files.Count);
        Assert.NotNull(manifest.Accuracy);
        Assert.Equal(JsonValueKind.Object, manifest.Config.ValueKind);
        Assert.Equal(File.ReadAllText(path), manifest.ToJson());
    }

    [Fact]
    public void Optional_fields_are_left_out_and_a_missing_accuracy_is_written_as_null()
    {
        var manifest = new ModelManifest(1, "m", "apr", "2026-01-01T00:00:00Z", JsonDocument.Parse("{\"vocab_size\":4}").RootElement.Clone(), 10, 5,
            new ManifestTokenizer("apr-tokenizer.json", 4), "runs/x", new ManifestTraining(Steps: 3, Seed: 7), [new ManifestFile("config.json", 2, "ab")], null)
        { BudgetBins = [1000, 2000] };
        var json = manifest.ToJson();
        Assert.Contains("\"accuracy\": null", json);
        Assert.DoesNotContain("token_budget_bin", json);
        Assert.DoesNotContain("final_train_loss", json);
        var dir = Directory.CreateTempSubdirectory("apr-manifest-").FullName;
        try
        {
            var path = Path.Combine(dir, ModelManifest.FileName);
            File.WriteAllText(path, json);
            var back = ModelManifest.Read(path);
            Assert.Equal(json, back.ToJson());
            Assert.Equal([1000, 2000], back.BudgetBins!);
            Assert.Equal(7UL, back.Training.Seed);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("{\"budget_bins\": \"x\"}", "not a model manifest")]
    [InlineData("{\"budget_bins\": [0]}", "budget_bins must be positive")]
    [InlineData("{\"token_budget_bin\": -3}", "token_budget_bin must be positive")]
    [InlineData("{\"budget_bins\": [1000, 2500], \"budget_unit\": 1000}", "budget unit 1000 must be positive and divide every budget bin")]
    [InlineData("[1, 2]", "not a model manifest")]
    [InlineData("{\"value_model\": \"../r\", \"value_weight\": 0}", "value_weight must be positive and finite, got 0")]
    [InlineData("{\"value_model\": \"\"}", "value_model is empty")]
    [InlineData("{\"value_model\": \"../r\", \"value_exact_upto\": 3}", "value_exact_upto must be in 1..2, got 3")]
    [InlineData("{\"value_model_by_size\": {\"6\": \"../r6\"}}", "value_model_by_size names values for some sizes: it needs value_model for the others")]
    [InlineData("{\"value_model\": \"../r\", \"value_model_by_size\": {\"7\": \"../r7\"}}", "value_model_by_size: 7 numbers are out of range: a problem has 2 to 6 numbers")]
    [InlineData("{\"value_model\": \"../r\", \"value_model_by_size\": {\"6\": \"\"}}", "value_model_by_size's value for 6 numbers is empty")]
    [InlineData("{\"value_model\": \"../r\", \"value_model_by_size\": {\"six\": \"../r6\"}}", "not a model manifest")]
    [InlineData("{\"value_model\": \"../r\", \"value_revisit\": 0}", "value_revisit must be in (0, 1], got 0")]
    [InlineData("{\"value_model\": \"../r\", \"value_revisit\": 1.5}", "value_revisit must be in (0, 1], got 1.5")]
    [InlineData("{\"value_revisit\": 0.5}", "value_revisit weighs a value: it needs value_model")]
    [InlineData("{\"budget_children\": true}", "budget_children tells children the budget of a model that reads one: it needs budget_bins")]
    public void Bad_manifests_are_errors_naming_the_file(string json, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("apr-manifest-").FullName;
        try
        {
            foreach (var f in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "models", "apr")).Where(f => !f.EndsWith(ModelManifest.FileName)))
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var path = Path.Combine(dir, ModelManifest.FileName);
            File.WriteAllText(path, json);
            var e = Assert.Throws<InvalidDataException>(() => ModelConditioning.Read(dir));
            Assert.Contains(path, e.Message);
            Assert.Contains(expected, e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Budget_children_is_read_from_the_manifest_and_absent_means_the_root_only()
    {
        var dir = Directory.CreateTempSubdirectory("apr-manifest-").FullName;
        try
        {
            File.Copy(Path.Combine(TestPaths.RepoRoot, "models", "apr", "config.json"), Path.Combine(dir, "config.json"));
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{\"budget_bins\": [1000, 2000], \"budget_unit\": 1000, \"budget_children\": true}");
            Assert.True(ModelConditioning.Read(dir).BudgetChildren);
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{\"budget_bins\": [1000, 2000], \"budget_unit\": 1000}");
            Assert.False(ModelConditioning.Read(dir).BudgetChildren);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_value_model_is_read_relative_to_the_model_directory()
    {
        var dir = Directory.CreateTempSubdirectory("apr-manifest-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{\"value_model\": \"../ranker\", \"value_weight\": 8}");
            File.Copy(Path.Combine(TestPaths.RepoRoot, "models", "apr", "config.json"), Path.Combine(dir, "config.json"));
            var c = ModelConditioning.Read(dir);
            Assert.Equal(Path.GetFullPath(Path.Combine(dir, "..", "ranker")), c.ValueModel);
            Assert.Equal(8, c.ValueWeight);
            Assert.Null(c.ValueExactUpTo);
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{\"value_model\": \"../ranker\", \"value_exact_upto\": 2}");
            Assert.Equal(2, ModelConditioning.Read(dir).ValueExactUpTo);
            Assert.Null(ModelConditioning.Read(dir).ValueModelBySize);
            Assert.Null(ModelConditioning.Read(dir).ValueRevisit);
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{\"value_model\": \"../ranker\", \"value_revisit\": 0.001}");
            Assert.Equal(0.001, ModelConditioning.Read(dir).ValueRevisit);
            File.WriteAllText(Path.Combine(dir, ModelManifest.FileName), "{\"value_model\": \"../ranker\", \"value_model_by_size\": {\"6\": \"../ranker6\"}}");
            var bySize = ModelConditioning.Read(dir).ValueModelBySize!;
            Assert.Equal(Path.GetFullPath(Path.Combine(dir, "..", "ranker6")), Assert.Single(bySize, kv => kv.Key == 6).Value);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void The_shipped_models_read_their_budget_conditioning_from_their_manifests()
    {
        var sosp = ModelConditioning.Read(Path.Combine(TestPaths.RepoRoot, "models", "sosp"));
        Assert.Equal(ModelManifest.Read(Path.Combine(TestPaths.RepoRoot, "models", "sosp", ModelManifest.FileName)).TokenBudgetBin, sosp.TokenBudgetBin);
        Assert.NotNull(sosp.TokenBudgetBin);
        Assert.Null(ModelConditioning.Read(Path.Combine(TestPaths.RepoRoot, "models", "apr4-rl")).BudgetBins);
        // The default model reads budgets in thousands, 1,000 to 32,000, in every thread, and links its values.
        var apr = ModelConditioning.Read(Path.Combine(TestPaths.RepoRoot, "models", "apr"));
        Assert.Equal([1000, 2000, 4000, 8000, 16000, 32000], apr.BudgetBins);
        Assert.Equal(1000, apr.BudgetUnit);
        Assert.True(apr.BudgetChildren); // and so are its children
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "models", "ranker45-mlp72k"), apr.ValueModel);
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "models", "ranker456-45-mean"), Assert.Single(apr.ValueModelBySize!, kv => kv.Key == 6).Value); // and another for 6 numbers
        Assert.Single(apr.ValueModelBySize!);
    }
}
