// A model directory with a damaged file (safetensors header, tokenizer, config) fails `apr solve` with
// one line that names the file and the fault, exit 1, never a stack trace (issue 16). A ranker directory (the shipped
// models/ranker5: the same files plus ranker.json) passed as a model is refused by name instead of decoding nonsense.
namespace Apr.Cli.Tests;

public sealed class CorruptModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-corrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string CopyOfShippedSosp()
    {
        var source = Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "sosp");
        var copy = Path.Combine(_dir, "m");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    [Theory]
    [InlineData("model.safetensors", "the safetensors header is not JSON")]
    [InlineData("apr-tokenizer.json", "tokenizer JSON does not parse")]
    [InlineData("config.json", "config.json")]
    public void A_damaged_file_is_one_line_naming_it(string file, string fault)
    {
        var model = CopyOfShippedSosp();
        var path = Path.Combine(model, file);
        var bytes = File.ReadAllBytes(path);
        if (file.EndsWith(".safetensors", StringComparison.Ordinal)) bytes[9] = (byte)',';   // inside the JSON header
        else bytes = bytes[..(bytes.Length / 2)];                                             // a torn write
        File.WriteAllBytes(path, bytes);
        var run = CliRunner.Run("solve", "--model", model, "--method", "sosp", "--target", "24", "--nums", "2,3,4,1", "--threads", "1");
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("apr: error: cannot load the model: " + path, line);
        Assert.Contains(fault, line);
    }

    [Fact]
    public void A_ranker_is_not_loaded_as_a_model()
    {
        var ranker = Path.Combine(Apr.Testing.TestPaths.RepoRoot, "models", "ranker5");
        var run = CliRunner.Run("solve", "--model", ranker, "--target", "24", "--nums", "2,3,4,1", "--threads", "1");
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.Equal($"apr: error: cannot load the model: '{ranker}' is a ranker (ranker.json: a reachability classifier for `apr eval --ranker`), not a model of the trace language", line);
    }
}
