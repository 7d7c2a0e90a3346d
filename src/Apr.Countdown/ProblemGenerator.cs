// ProblemGenerator: draws solvable Countdown problems from a ProblemDistribution, in parallel and
// reproducibly (reference sections 2 and 10).
//
// Candidate i is drawn from Rng.ForItem(seed, i) alone: target uniform, then numbers uniform (with
// repeats) redrawn until the exhaustive solver finds a solution, which becomes the problem's Solution.
// Candidates are drawn in batches (in parallel when asked), then one sequential pass in index order
// keeps a candidate unless its Key (sorted numbers + target) was already kept or is in the exclusion
// set, until N problems are kept. So the same seed gives the same list for any number of threads.
// Ids: "{prefix}{position}" with the position in the returned list, zero-padded to at least 6 digits
// (more when N needs them), e.g. "train000000". It does not write files or search traces.
using Apr.Core;

namespace Apr.Countdown;

/// <summary>Generates deduplicated, solvable problems. Thread-safe; holds only its distribution.</summary>
public sealed class ProblemGenerator
{
    /// <summary>Draws of numbers for one target before the target is declared impossible.</summary>
    public const int MaxDrawsPerCandidate = 100_000;

    public ProblemDistribution Distribution { get; }

    public ProblemGenerator(ProblemDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        Distribution = distribution.Validate();
    }

    /// <summary>
    /// <paramref name="count"/> problems for <paramref name="seed"/>, none of whose keys is in
    /// <paramref name="exclude"/> (keys as <see cref="CountdownProblem.Key"/> writes them).
    /// </summary>
    public IReadOnlyList<CountdownProblem> Generate(int count, ulong seed, string idPrefix = "p",
        IReadOnlySet<string>? exclude = null, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(idPrefix);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"threads must be at least 1, got {threads}");
        var width = Math.Max(6, (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var kept = new List<CountdownProblem>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long next = 0;
        var giveUpAfter = 50L * count + 100_000;
        while (kept.Count < count)
        {
            if (next > giveUpAfter)
                throw new InvalidOperationException(
                    $"only {kept.Count} distinct problems out of {next} candidates (wanted {count}); the distribution {Distribution} has too few distinct problems");
            var need = count - kept.Count;
            var batch = need + need / 8 + 16;
            var candidates = new CountdownProblem[batch];
            var keys = new string[batch];   // computed in the parallel part: the sequential pass only compares
            var first = next;
            if (threads == 1)
            {
                for (var i = 0; i < batch; i++) keys[i] = (candidates[i] = Draw(seed, first + i)).Key;
            }
            else
            {
                Parallel.For(0, batch, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    i => keys[i] = (candidates[i] = Draw(seed, first + i)).Key);
            }
            next += batch;
            for (var i = 0; i < batch; i++)
            {
                if (kept.Count == count) break;
                var c = candidates[i];
                var key = keys[i];
                if (exclude is not null && exclude.Contains(key)) continue;
                if (!seen.Add(key)) continue;
                var id = idPrefix + kept.Count.ToString("D" + width, System.Globalization.CultureInfo.InvariantCulture);
                kept.Add(c with { Id = id });
            }
        }
        return kept;
    }

    /// <summary>Candidate <paramref name="index"/> of a run seeded with <paramref name="seed"/> (Id left empty).</summary>
    public CountdownProblem Draw(ulong seed, long index)
    {
        var rng = Rng.ForItem(seed, (ulong)index);
        var d = Distribution;
        var target = NextLong(ref rng, d.TargetMin, d.TargetMax);
        Span<long> nums = stackalloc long[d.Count];
        for (var draw = 0; draw < MaxDrawsPerCandidate; draw++)
        {
            for (var k = 0; k < nums.Length; k++) nums[k] = NextLong(ref rng, d.NumberMin, d.NumberMax);
            if (ExhaustiveSolver.TrySolve(target, nums, out var solution))
                return new CountdownProblem("", target, nums.ToArray(), solution);
        }
        throw new InvalidOperationException(
            $"no solvable numbers for target {target} after {MaxDrawsPerCandidate} draws from {d}");
    }

    private static long NextLong(ref Rng rng, long min, long max) => min + (long)rng.NextBelow((ulong)(max - min) + 1);
}
