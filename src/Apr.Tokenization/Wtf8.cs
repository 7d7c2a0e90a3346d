// Wtf8: the byte fallback's encoding of characters outside the tokenizer's ASCII alphabet. It is UTF-8
// extended to lone surrogates (the "WTF-8" of the web platform), because a .NET string may hold an
// unpaired surrogate and the tokenizer promises Decode(Encode(s)) == s for every string.
//
// It does not validate what a model emits: bytes that form no sequence decode to U+FFFD, one per byte,
// and never throw. It is not a general-purpose codec (no BOM handling, no streaming state).
using System.Text;

namespace Apr.Tokenization;

internal static class Wtf8
{
    /// <summary>
    /// Writes the bytes of the character at <paramref name="text"/>[<paramref name="index"/>] (a surrogate
    /// pair counts as one) into <paramref name="bytes"/>; returns the number of chars consumed (1 or 2)
    /// and sets <paramref name="byteCount"/> (1 to 4).
    /// </summary>
    public static int EncodeOne(ReadOnlySpan<char> text, int index, Span<byte> bytes, out int byteCount)
    {
        int c = text[index];
        if (char.IsHighSurrogate((char)c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            var cp = char.ConvertToUtf32((char)c, text[index + 1]);
            bytes[0] = (byte)(0xF0 | (cp >> 18));
            bytes[1] = (byte)(0x80 | ((cp >> 12) & 0x3F));
            bytes[2] = (byte)(0x80 | ((cp >> 6) & 0x3F));
            bytes[3] = (byte)(0x80 | (cp & 0x3F));
            byteCount = 4;
            return 2;
        }
        if (c < 0x80)
        {
            bytes[0] = (byte)c;
            byteCount = 1;
        }
        else if (c < 0x800)
        {
            bytes[0] = (byte)(0xC0 | (c >> 6));
            bytes[1] = (byte)(0x80 | (c & 0x3F));
            byteCount = 2;
        }
        else
        {
            // Includes lone surrogates U+D800..U+DFFF, which strict UTF-8 forbids.
            bytes[0] = (byte)(0xE0 | (c >> 12));
            bytes[1] = (byte)(0x80 | ((c >> 6) & 0x3F));
            bytes[2] = (byte)(0x80 | (c & 0x3F));
            byteCount = 3;
        }
        return 1;
    }

    /// <summary>Appends the text of <paramref name="bytes"/>; malformed bytes become U+FFFD each.</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, StringBuilder sb)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            int b0 = bytes[i];
            if (b0 < 0x80)
            {
                sb.Append((char)b0);
                i++;
                continue;
            }
            var length = SequenceLength(bytes, i);
            if (length == 0)
            {
                sb.Append('\uFFFD');
                i++;
                continue;
            }
            var cp = length switch
            {
                2 => ((b0 & 0x1F) << 6) | (bytes[i + 1] & 0x3F),
                3 => ((b0 & 0x0F) << 12) | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F),
                _ => ((b0 & 0x07) << 18) | ((bytes[i + 1] & 0x3F) << 12) | ((bytes[i + 2] & 0x3F) << 6) | (bytes[i + 3] & 0x3F),
            };
            if (cp < 0x10000) sb.Append((char)cp);
            else sb.Append((char)(0xD800 + ((cp - 0x10000) >> 10))).Append((char)(0xDC00 + (cp & 0x3FF)));
            i += length;
        }
    }

    // Length of the well-formed sequence starting at bytes[i] (shortest form only), or 0 if there is none.
    private static int SequenceLength(ReadOnlySpan<byte> bytes, int i)
    {
        int b0 = bytes[i];
        int length, lo = 0x80, hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
        else if (b0 >= 0xE0 && b0 <= 0xEF)
        {
            length = 3;
            if (b0 == 0xE0) lo = 0xA0; // no overlong forms; 0xED (surrogates) is allowed: this is WTF-8
        }
        else if (b0 >= 0xF0 && b0 <= 0xF4)
        {
            length = 4;
            if (b0 == 0xF0) lo = 0x90;
            if (b0 == 0xF4) hi = 0x8F;
        }
        else return 0;
        if (i + length > bytes.Length) return 0;
        if (bytes[i + 1] < lo || bytes[i + 1] > hi) return 0;
        for (var k = 2; k < length; k++)
            if ((bytes[i + k] & 0xC0) != 0x80) return 0;
        return length;
    }
}
