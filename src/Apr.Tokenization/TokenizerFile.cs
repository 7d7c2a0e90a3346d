// TokenizerFile: what the tokenizer's vocabulary file (TokenizerJson) is called in a model or checkpoint
// directory. It is `apr-tokenizer.json`, not `tokenizer.json`: that is the name Hugging Face tools open
// as their own tokenizer format, which ours is not. Directories written before the rename hold
// `tokenizer.json`; Find still reads it. Names only: reading and writing the text is the caller's.
namespace Apr.Tokenization;

public static class TokenizerFile
{
    /// <summary>The file name apr writes.</summary>
    public const string Name = "apr-tokenizer.json";

    /// <summary>The name earlier versions wrote (read, never written).</summary>
    public const string LegacyName = "tokenizer.json";

    /// <summary>The tokenizer file in <paramref name="directory"/>: <see cref="Name"/>, else <see cref="LegacyName"/>, else null.</summary>
    public static string? Find(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        foreach (var name in new[] { Name, LegacyName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
