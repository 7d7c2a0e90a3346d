// OrderedParallel: map a list in parallel, yield the results in input order, with bounded memory.
//
// Each result may depend only on its item and index (derive randomness from Rng.ForItem(seed, index)),
// so the output is the same for any number of workers. Work proceeds in blocks: a block is computed
// in parallel, then yielded in order, so a consumer can stream results to disk as they come.
namespace Apr.Demonstrations;

public static class OrderedParallel
{
    /// <summary>Yields <c>map(items[i], i)</c> for every i in order, computed by <paramref name="workers"/> threads.</summary>
    public static IEnumerable<TOut> Map<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, int, TOut> map, int workers, int blockSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(map);
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), $"workers must be at least 1, got {workers}");
        return Iterate(items, map, workers, Math.Max(1, blockSize));
    }

    private static IEnumerable<TOut> Iterate<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, int, TOut> map, int workers, int blockSize)
    {
        var results = new TOut[Math.Min(blockSize, items.Count)];
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
        for (var start = 0; start < items.Count; start += blockSize)
        {
            var count = Math.Min(blockSize, items.Count - start);
            if (workers == 1)
            {
                for (var i = 0; i < count; i++) results[i] = map(items[start + i], start + i);
            }
            else
            {
                // Contiguous ranges per task keep per-item overhead low.
                var ranges = System.Collections.Concurrent.Partitioner.Create(0, count, Math.Max(16, count / (workers * 8)));
                Parallel.ForEach(ranges, options, range =>
                {
                    for (var i = range.Item1; i < range.Item2; i++) results[i] = map(items[start + i], start + i);
                });
            }
            for (var i = 0; i < count; i++)
            {
                yield return results[i];
                results[i] = default!;
            }
        }
    }
}
