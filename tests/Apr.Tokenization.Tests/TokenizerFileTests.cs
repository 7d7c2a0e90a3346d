// TokenizerFile: apr-tokenizer.json is found first; a directory of an earlier version (tokenizer.json) still
// gives its tokenizer; a directory with neither gives none.
namespace Apr.Tokenization.Tests;

public sealed class TokenizerFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-tokfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_current_name_comes_first_and_the_earlier_name_still_reads()
    {
        Assert.Null(TokenizerFile.Find(_dir));
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), TraceTokenizer.Default.ToJson());
        Assert.Equal(Path.Combine(_dir, "tokenizer.json"), TokenizerFile.Find(_dir));
        File.WriteAllText(Path.Combine(_dir, "apr-tokenizer.json"), TraceTokenizer.Default.ToJson());
        Assert.Equal(Path.Combine(_dir, "apr-tokenizer.json"), TokenizerFile.Find(_dir));
        Assert.Equal(TraceTokenizer.Default.ToJson(), TraceTokenizer.FromJson(File.ReadAllText(TokenizerFile.Find(_dir)!)).ToJson());
    }
}
