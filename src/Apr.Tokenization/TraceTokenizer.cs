// TraceTokenizer: the lossless tokenizer of the trace language (reference sections 3 and 4).
//
// Vocabulary, in id order: PAD=0, BOS=1, EOS=2; 256 byte tokens (bytes below 0x80 are the single ASCII
// characters; the rest spell other characters in UTF-8, lone surrogates included, so every string
// round-trips); the decimal numbers 0..NumberCount-1; the fixed phrases (TracePhrases).
// Encoding is deterministic, left to right:
//   1. a digit starts a maximal digit run: one number token if it is canonical (no leading zero) and
//      below NumberCount, otherwise one number token per digit ("007" -> 0 0 7, "1234" -> 1 2 3 4);
//   2. another ASCII char starts the longest phrase that matches there, or is its own byte token;
//   3. any other char is spelled by byte tokens.
// No token holds a newline except as its last char, so Encode(a + b) == Encode(a) ++ Encode(b) whenever
// a ends with a newline: the guided decoder may tokenize allowed lines one at a time.
//
// It does not add BOS/EOS (CallFraming frames calls), does not know the grammar (it never rejects
// text), and does not pad or truncate.
using System.Buffers;
using System.Text;

namespace Apr.Tokenization;

public sealed class TraceTokenizer
{
    internal const int ByteFirst = 3;
    internal const int ByteCount = 256;
    internal const int NumberFirst = ByteFirst + ByteCount;
    internal const int MinNumberCount = 10;
    internal const int MaxNumberCount = 100_000;
    internal static readonly string[] SpecialTexts = ["<pad>", "<bos>", "<eos>"];

    private readonly string[] _phrases;
    private readonly string[] _texts;     // id -> TokenText(id)
    private readonly PhraseTrie _trie;
    private readonly int _maxNumberDigits; // digits of NumberCount - 1

    private TraceTokenizer(IReadOnlyList<string> phrases, int numberCount)
    {
        if (numberCount < MinNumberCount || numberCount > MaxNumberCount)
            throw new ArgumentOutOfRangeException(nameof(numberCount), numberCount, $"number count must be in {MinNumberCount}..{MaxNumberCount}");
        for (var p = 0; p < phrases.Count; p++) CheckPhrase(p, phrases[p]);
        _phrases = [.. phrases];
        _trie = new PhraseTrie(_phrases); // also rejects duplicates
        NumberCount = numberCount;
        _maxNumberDigits = (numberCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        VocabSize = PhraseFirst + _phrases.Length;
        _texts = new string[VocabSize];
        for (var id = 0; id < VocabSize; id++) _texts[id] = ExpectedText(id);
    }

    /// <summary>The built-in vocabulary: numbers 0..999 and the default phrase list (1,300 tokens).</summary>
    public static TraceTokenizer Default { get; } = new(TracePhrases.Default, 1000);

    /// <summary>A tokenizer with other phrases or another number range; throws ArgumentException on a bad phrase.</summary>
    public static TraceTokenizer Create(IReadOnlyList<string> phrases, int numberCount = 1000)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        return new TraceTokenizer(phrases, numberCount);
    }

    /// <summary>Reads a vocabulary saved by <see cref="ToJson"/>; throws FormatException saying what is wrong.</summary>
    public static TraceTokenizer FromJson(string json) => TokenizerJson.Read(json);

    /// <summary>The vocabulary as versioned JSON, to save beside a checkpoint.</summary>
    public string ToJson() => TokenizerJson.Write(this);

    public int VocabSize { get; }
    public int Pad => 0;
    public int Bos => 1;
    public int Eos => 2;

    /// <summary>Numbers 0..NumberCount-1 are single tokens; their ids start at <see cref="NumberToken"/>(0).</summary>
    public int NumberCount { get; }

    /// <summary>The fixed phrases, in id order.</summary>
    public IReadOnlyList<string> Phrases => _phrases;

    internal int PhraseFirst => NumberFirst + NumberCount;

    public bool IsSpecial(int id) => (uint)id < ByteFirst;

    /// <summary>The token id of the number <paramref name="value"/> (0 &lt;= value &lt; NumberCount).</summary>
    public int NumberToken(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, NumberCount);
        return NumberFirst + value;
    }

    /// <summary>True if <paramref name="id"/> is a number token; <paramref name="value"/> is its value.</summary>
    public bool TryGetNumber(int id, out int value)
    {
        value = id - NumberFirst;
        if ((uint)value < (uint)NumberCount) return true;
        value = -1;
        return false;
    }

    /// <summary>
    /// The text of a token. Exact for ASCII bytes, numbers and phrases; specials read "&lt;pad&gt;",
    /// "&lt;bos&gt;", "&lt;eos&gt;" and bytes 0x80..0xFF read "&lt;0xHH&gt;" (display forms: Decode gives
    /// nothing for a special and real characters for byte sequences).
    /// </summary>
    public string TokenText(int id)
    {
        CheckId(id);
        return _texts[id];
    }

    /// <summary>The tokens of <paramref name="text"/> (no BOS/EOS).</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        Encode(text, ids);
        return [.. ids];
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="ids"/> (no BOS/EOS).</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sink = new ListSink(ids);
        EncodeCore(text, ref sink);
    }

    /// <summary>How many tokens <paramref name="text"/> encodes to, without allocating.</summary>
    public int CountTokens(ReadOnlySpan<char> text)
    {
        var sink = new CountSink();
        EncodeCore(text, ref sink);
        return sink.Count;
    }

    /// <summary>The text of <paramref name="ids"/>; special tokens decode to nothing, malformed byte runs to U+FFFD.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length * 4);
        byte[]? rented = null;
        var pending = ids.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(ids.Length));
        var count = 0;
        foreach (var id in ids)
        {
            CheckId(id);
            if ((uint)(id - ByteFirst) < ByteCount)
            {
                pending[count++] = (byte)(id - ByteFirst);
                continue;
            }
            if (count > 0)
            {
                Wtf8.Decode(pending[..count], sb);
                count = 0;
            }
            if (id >= ByteFirst) sb.Append(_texts[id]);
        }
        if (count > 0) Wtf8.Decode(pending[..count], sb);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return sb.ToString();
    }

    private void EncodeCore<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, ITokenSink
    {
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (i < text.Length)
        {
            int c = text[i];
            if ((uint)(c - '0') <= 9)
            {
                // 1. A maximal digit run.
                var end = i + 1;
                while (end < text.Length && (uint)(text[end] - '0') <= 9) end++;
                if (end - i <= _maxNumberDigits && (c != '0' || end - i == 1))
                {
                    var value = 0;
                    for (var k = i; k < end; k++) value = value * 10 + (text[k] - '0');
                    if (value < NumberCount)
                    {
                        sink.Add(NumberFirst + value);
                        i = end;
                        continue;
                    }
                }
                for (var k = i; k < end; k++) sink.Add(NumberFirst + (text[k] - '0'));
                i = end;
            }
            else if (c < 0x80)
            {
                // 2. The longest phrase, or the char itself.
                var phrase = _trie.LongestMatch(text, i, out var length);
                if (phrase >= 0)
                {
                    sink.Add(PhraseFirst + phrase);
                    i += length;
                }
                else
                {
                    sink.Add(ByteFirst + c);
                    i++;
                }
            }
            else
            {
                // 3. Byte fallback.
                i += Wtf8.EncodeOne(text, i, utf8, out var byteCount);
                for (var k = 0; k < byteCount; k++) sink.Add(ByteFirst + utf8[k]);
            }
        }
    }

    // The text every id must have in this layout (phrases excepted, which are free).
    internal string ExpectedText(int id)
    {
        if (id < ByteFirst) return SpecialTexts[id];
        if (id < NumberFirst)
        {
            var b = id - ByteFirst;
            return b < 0x80 ? ((char)b).ToString() : $"<0x{b:X2}>";
        }
        if (id < PhraseFirst) return (id - NumberFirst).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _phrases[id - PhraseFirst];
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)VocabSize)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"token id outside the vocabulary of {VocabSize}");
    }

    private static void CheckPhrase(int index, string? phrase)
    {
        if (phrase is null || phrase.Length < 2)
            throw new ArgumentException($"phrase {index} \"{phrase}\" must have at least two characters");
        for (var k = 0; k < phrase.Length; k++)
        {
            var c = phrase[k];
            var newline = c == '\n';
            if (newline ? k != phrase.Length - 1 : c < 0x20 || c > 0x7E)
                throw new ArgumentException($"phrase {index} \"{phrase}\": char U+{(int)c:X4} at {k} (phrases are printable ASCII, with a newline only as the last char)");
        }
        if (char.IsAsciiDigit(phrase[0]) || char.IsAsciiDigit(phrase[^1]))
            throw new ArgumentException($"phrase {index} \"{phrase}\" must not start or end with a digit (it would cut a number)");
    }

    private interface ITokenSink
    {
        void Add(int id);
    }

    private struct ListSink(List<int> ids) : ITokenSink
    {
        public readonly void Add(int id) => ids.Add(id);
    }

    private struct CountSink : ITokenSink
    {
        public int Count;
        public void Add(int id) => Count++;
    }
}
