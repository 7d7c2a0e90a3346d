// RandomText: random strings that stress the tokenizer: trace phrases and their prefixes, digit runs
// with leading zeros and of any length, "\r\n", control chars, Latin-1, BMP, astral chars, lone
// surrogates and U+FFFD. Deterministic for a given seed (System.Random with a seed is stable).
using System.Text;

namespace Apr.Tokenization.Tests;

internal static class RandomText
{
    private static readonly string[] Pieces =
    [
        "Current State: ", "], Operations: [", "]\n", "Generated Node #0,", "Generated Node #", "Moving to Node #0\n",
        " unequal: No Solution\n", "<Start Sub Search ", "', '", ", ", ":[", ": ", "\r\n", "\n", " ", ",", "'", "#0",
        "Current", "Curr", "Moving to", "<", ">", "=", "-", "+", "*", "/", "[", "]", "\t", "\0",
    ];

    public static string Next(Random rng, int maxParts = 24)
    {
        var sb = new StringBuilder();
        var parts = rng.Next(maxParts + 1);
        for (var p = 0; p < parts; p++)
        {
            switch (rng.Next(9))
            {
                case 0:
                case 1:
                    sb.Append(Pieces[rng.Next(Pieces.Length)]);
                    break;
                case 2: // digit run, often with leading zeros or too long for one token
                    var digits = rng.Next(1, rng.Next(2) == 0 ? 4 : 25);
                    for (var d = 0; d < digits; d++) sb.Append((char)('0' + rng.Next(10)));
                    break;
                case 3:
                    sb.Append(rng.Next(0, 1001));
                    break;
                case 4:
                    sb.Append((char)rng.Next(0x00, 0x80));
                    break;
                case 5:
                    sb.Append((char)rng.Next(0x80, 0x800));
                    break;
                case 6:
                    sb.Append((char)rng.Next(0x800, 0x10000)); // includes lone surrogates and U+FFFD
                    break;
                case 7:
                    sb.Append(char.ConvertFromUtf32(rng.Next(0x10000, 0x110000)));
                    break;
                default:
                    sb.Append(rng.Next(2) == 0 ? '\uD83D' : '\uDE00'); // a lone half of a pair
                    break;
            }
        }
        return sb.ToString();
    }
}
