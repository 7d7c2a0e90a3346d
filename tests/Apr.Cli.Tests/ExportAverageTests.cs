// `apr export --average`: the exported weights are the mean of --from's and every --average's, the manifest lists
// each source with the sha256 of its weights (and a re-export keeps that list); another architecture, another
// tokenizer or one checkpoint given twice is refused with an error that names it, and nothing is written.
using Apr.Inference;
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Cli.Tests;

public sealed class ExportAverageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-average-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    /// <summary>A run whose checkpoint holds real weights of a tiny model, drawn with <paramref name="seed"/>.</summary>
    private string Run(string name, int seed, ModelConfig? config = null)
    {
        var run = Snapshots.FakeRun(_dir, name);
        manual_seed(seed);
        using var model = new LlamaForCausalLm(config ?? ModelConfig.Tiny(1300));
        ModelFiles.Save(model, Path.Combine(run, "checkpoints", "step-000004"));
        return run;
    }

    private static string Weights(string run) => Path.Combine(run, "checkpoints", "step-000004", ModelFiles.WeightsFile);

    [Fact]
    public void The_export_holds_the_mean_of_the_weights_and_the_manifest_lists_every_source()
    {
        var (a, b, c) = (Run("a", 1), Run("b", 2), Run("c", 3));
        var export = CliRunner.Run("export", "--from", a, "--average", b, "--average", c, "--out", F("soup"));
        Assert.True(export.ExitCode == 0, export.Err);
        Assert.Contains("the mean of its weights and 2 more", export.Out);

        var tensors = new[] { a, b, c }.Select(r => SafeTensors.Read(Weights(r))).ToList();
        var soup = SafeTensors.Read(F("soup/model.safetensors"));
        Assert.Equal(tensors[0].Keys.Order(), soup.Keys.Order());
        foreach (var (name, t) in soup)
        {
            using var expected = tensors.Select(x => x[name].to(float64)).Aggregate((x, y) => x + y) / 3;
            Assert.True(t.to(float64).allclose(expected, rtol: 0, atol: 1e-6), $"{name} is not the mean");
        }
        Assert.False(soup["model.embed_tokens.weight"].equal(tensors[0]["model.embed_tokens.weight"]).all().item<bool>());

        var manifest = ModelManifest.Read(F("soup/manifest.json"));
        Assert.NotNull(manifest.AveragedFrom);
        Assert.Equal(3, manifest.AveragedFrom.Count);
        for (int i = 0; i < 3; i++)
        {
            var source = manifest.AveragedFrom[i];
            Assert.EndsWith(Path.Combine(new[] { "a", "b", "c" }[i], "checkpoints", "step-000004"), source.Checkpoint);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Weights(new[] { a, b, c }[i])))), source.Sha256);
            Assert.Equal(4, source.Steps);
            Assert.Equal(1UL, source.Seed);
        }
        var weightsEntry = manifest.Files.Single(f => f.Name == ModelFiles.WeightsFile);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(F("soup/model.safetensors")))), weightsEntry.Sha256);

        var again = CliRunner.Run("export", "--from", F("soup"), "--out", F("re"));
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Equal(manifest.AveragedFrom, ModelManifest.Read(F("re/manifest.json")).AveragedFrom);
        Assert.Equal(File.ReadAllBytes(F("soup/model.safetensors")), File.ReadAllBytes(F("re/model.safetensors")));
        foreach (var t in tensors.SelectMany(x => x.Values).Concat(soup.Values)) t.Dispose();
    }

    [Fact]
    public void Another_architecture_tokenizer_or_the_same_checkpoint_twice_is_refused_and_nothing_is_written()
    {
        var a = Run("a", 1);
        var wider = Run("wider", 2, ModelConfig.Tiny(1300) with { HiddenSize = 64 });
        var otherTokens = Run("tokens", 3);
        File.WriteAllText(Path.Combine(otherTokens, "checkpoints", "step-000004", "apr-tokenizer.json"), "{\"other\": true}");
        var cases = new (string[] Args, string Expected)[]
        {
            (["--average", wider], "config.json differs"),
            (["--average", otherTokens], "tokenizer differs"),
            (["--average", a], "is given twice"),
            (["--average", Path.Combine(a, "checkpoints", "step-000004")], "is given twice"),
            (["--average", F("nowhere")], "does not exist"),
        };
        foreach (var (args, expected) in cases)
        {
            var export = CliRunner.Run(["export", "--from", a, .. args, "--out", F("soup")]);
            Assert.NotEqual(0, export.ExitCode);
            var line = Assert.Single(export.ErrLines);
            Assert.StartsWith("apr: error: --average: ", line);
            Assert.Contains(expected, line);
            Assert.False(Directory.Exists(F("soup")), string.Join(" ", args));
        }
    }
}
