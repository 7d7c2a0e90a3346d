// Mutations: a CsCheck generator of damaged copies of a valid input (a trace line, a record, a tokenizer
// file): a few characters replaced, deleted or inserted from an alphabet of the formats' own symbols,
// or a number blown up past 64 bits, or the text cut short. Shared by the input-fuzzing tests of each
// reader; a failing case shrinks to fewer, earlier edits and replays from its seed. Fuzz() runs a
// property with a time limit per input, so a reader that hangs on an input fails the property (naming a
// shortened copy of the input) instead of hanging the suite.
using System.Text;
using CsCheck;

namespace Apr.Testing;

public static class Mutations
{
    /// <summary>Inputs per property: 2,000 in the suite; APR_FUZZ_ITER=100000 for the long run (README, Tests).</summary>
    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("APR_FUZZ_ITER"), out var n) && n > 0 ? n : 2_000;

    /// <summary>Most time one input may take: far above any reader's time on these inputs (milliseconds).</summary>
    public static TimeSpan TimeLimit { get; } = TimeSpan.FromSeconds(20);

    /// <summary><c>gen.Sample(check)</c> with each input checked under <see cref="TimeLimit"/> (a hang is a failure).</summary>
    public static void Fuzz<T>(this Gen<T> gen, Action<T> check, long iter, int threads = -1, TimeSpan? limit = null) =>
        gen.Sample(input =>
        {
            var task = Task.Run(() => check(input));
            if (!task.Wait(limit ?? TimeLimit))
                throw new TimeoutException($"an input took over {(limit ?? TimeLimit).TotalSeconds:F1} s (a hang?): {Shorten(input?.ToString() ?? "null")}");
            task.GetAwaiter().GetResult(); // the check's own exception, unwrapped
        }, iter: iter, threads: threads);

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + $"... ({s.Length} chars)";

    private const string Alphabet = "0123456789,:#[]{}'\" =+-*/<>\n\\aeXZ.";

    /// <summary>Damaged copies of one of <paramref name="seeds"/>: 1 to 4 edits, or a cut.</summary>
    public static Gen<string> Of(IReadOnlyList<string> seeds)
    {
        var edit = Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Char[Alphabet]);
        return Gen.Select(Gen.Int[0, seeds.Count - 1], edit.Array[1, 4], Gen.Bool, Gen.Double[0, 1], (i, edits, cut, at) =>
        {
            var sb = new StringBuilder(seeds[i]);
            if (cut) return sb.ToString(0, (int)(at * sb.Length));
            foreach (var (op, where, c) in edits)
            {
                if (sb.Length == 0) break;
                int k = Math.Min(sb.Length - 1, (int)(where * sb.Length));
                switch (op)
                {
                    case 0: sb[k] = c; break;
                    case 1: sb.Remove(k, 1); break;
                    case 2: sb.Insert(k, c); break;
                    default: sb.Insert(k, "99999999999999999999"); break;
                }
            }
            return sb.ToString();
        });
    }
}
