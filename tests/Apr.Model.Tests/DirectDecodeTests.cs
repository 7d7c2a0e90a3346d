// The C# decode attention (LlamaForCausalLm.DirectDecode) against the torch path on the same weights:
// rows in scattered slots at different lengths, decoded step by step with two caches, one per path, must
// give the same logits; the direct path must also equal the uncached full forward. Head sizes cover the
// vector code (32), the 8-wide scores with scalar mixing (8) and the scalar fallback (12); long rows on 2
// threads split the rows across workers. Ragged chunks (prefills and forced spans beside decode rows) are
// packed on the direct path and must equal the torch path's padded forward too.
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class DirectDecodeTests(ITestOutputHelper output)
{
    private const int Vocab = 100;

    [Theory]
    [InlineData(128, 4, 3)] // head dim 32
    [InlineData(32, 4, 9)] // head dim 8 (the tiny preset)
    [InlineData(36, 3, 4)] // head dim 12, hidden 36 (not a multiple of 8: the norm's scalar tail)
    public void Direct_decode_steps_equal_the_torch_path_and_the_full_forward(int hidden, int heads, int rows)
    {
        TorchSetup.Seed(11);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, hidden, 2, heads, 2 * hidden, 256));
        using var noGrad = no_grad();
        var slots = Enumerable.Range(0, rows).Select(i => (5 * i + 2) % (rows + 3)).ToArray(); // scattered, not in order (5 is prime to rows + 3 here)
        var prefill = Enumerable.Range(0, rows).Select(i => 5 + 7 * i % 23).ToArray(); // different lengths
        using var ids = TorchSetup.RandomIds(rows, 60, Vocab, 12);
        using var torchCache = new KvCache(model.Config, rows + 3, 128);
        using var directCache = new KvCache(model.Config, rows + 3, 128);
        for (int b = 0; b < rows; b++)
            foreach (var cache in new[] { torchCache, directCache })
                model.Forward(ids.narrow(0, b, 1).narrow(1, 0, prefill[b]), cache, [slots[b]], [prefill[b]]).Dispose();
        double pathDiff = 0, fullDiff = 0;
        for (int step = 0; step < 21; step++)
        {
            var (direct, reference) = DecodeBoth(model, ids, prefill, step, rows, slots, torchCache, directCache);
            using var disposeDirect = direct;
            using var disposeReference = reference;
            pathDiff = Math.Max(pathDiff, MaxDiff(direct, reference));
            if (step % 10 == 0)
                for (int b = 0; b < rows; b++)
                {
                    using var full = model.forward(ids.narrow(0, b, 1).narrow(1, 0, prefill[b] + step + 1)); // (1, T, V)
                    fullDiff = Math.Max(fullDiff, MaxDiff(direct[b], full[0][-1]));
                }
        }
        output.WriteLine($"max |direct - torch path| = {pathDiff:E2}, max |direct - full forward| = {fullDiff:E2}");
        Assert.True(pathDiff < 1e-4, $"direct vs torch path: max difference {pathDiff}");
        Assert.True(fullDiff < 1e-4, $"direct vs full forward: max difference {fullDiff}");
        for (int b = 0; b < rows; b++) Assert.Equal(prefill[b] + 21, directCache.Length(slots[b]));
    }

    [Fact]
    public void Long_rows_split_across_threads_equal_the_torch_path()
    {
        // 8 rows x 4 heads x ~1,100 keys is past KvCache's threshold for splitting rows across torch's 2 threads.
        TorchSetup.Seed(15);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, 32, 1, 4, 64, 2048));
        using var noGrad = no_grad();
        int rows = 8;
        var slots = new[] { 7, 2, 5, 0, 3, 6, 1, 4 };
        using var ids = TorchSetup.RandomIds(rows, 1110, Vocab, 16);
        using var torchCache = new KvCache(model.Config, rows, 1200);
        using var directCache = new KvCache(model.Config, rows, 1200);
        var prefill = Enumerable.Range(0, rows).Select(i => 1090 + i).ToArray();
        using (var padded = ids.narrow(1, 0, 1097))
        {
            model.Forward(padded, torchCache, slots, prefill).Dispose();
            model.Forward(padded, directCache, slots, prefill).Dispose();
        }
        double diff = 0;
        for (int step = 0; step < 3; step++)
        {
            var (direct, reference) = DecodeBoth(model, ids, prefill, step, rows, slots, torchCache, directCache);
            using var disposeDirect = direct;
            using var disposeReference = reference;
            diff = Math.Max(diff, MaxDiff(direct, reference));
        }
        output.WriteLine($"max |direct (2 threads) - torch path| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
    }

    [Fact]
    public void Ragged_chunks_packed_on_the_direct_path_equal_the_torch_path_and_the_full_forward()
    {
        // Each round appends a chunk of a different length to each row (scattered slots, fresh and cached rows),
        // logits at each row's last token; a 1,000-token prefill beside one-token rows is past the threshold
        // for splitting the attention across threads, so causality inside a chunk is checked across workers.
        TorchSetup.Seed(17);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, 64, 2, 4, 128, 2048));
        using var noGrad = no_grad();
        int rows = 5;
        var slots = new[] { 4, 0, 6, 2, 5 };
        int[][] rounds = [[3, 1, 7, 1000, 2], [1, 12, 1, 1, 5], [1, 1, 1, 1, 1], [40, 2, 1, 9, 1]];
        using var ids = TorchSetup.RandomIds(rows, 1100, Vocab, 18);
        using var torchCache = new KvCache(model.Config, 8, 1200);
        using var directCache = new KvCache(model.Config, 8, 1200);
        var lengths = new int[rows];
        double pathDiff = 0, fullDiff = 0;
        foreach (var counts in rounds)
        {
            int chunk = counts.Max();
            var data = new long[rows * chunk];
            for (int b = 0; b < rows; b++)
                for (int t = 0; t < counts[b]; t++) data[b * chunk + t] = ids[b][lengths[b] + t].item<long>();
            using var input = tensor(data).view(rows, chunk); // (B, T), padded with id 0
            var (direct, reference) = BothPaths(model, input, slots, counts, torchCache, directCache); // (B, V) each
            using var disposeDirect = direct;
            using var disposeReference = reference;
            pathDiff = Math.Max(pathDiff, MaxDiff(direct, reference));
            for (int b = 0; b < rows; b++)
            {
                lengths[b] += counts[b];
                Assert.Equal(lengths[b], directCache.Length(slots[b]));
                using var full = model.forward(ids.narrow(0, b, 1).narrow(1, 0, lengths[b])); // (1, T, V)
                fullDiff = Math.Max(fullDiff, MaxDiff(direct[b], full[0][-1]));
            }
        }
        output.WriteLine($"max |packed direct - torch path| = {pathDiff:E2}, max |packed direct - full forward| = {fullDiff:E2}");
        Assert.True(pathDiff < 1e-4, $"direct vs torch path: max difference {pathDiff}");
        Assert.True(fullDiff < 1e-4, $"direct vs full forward: max difference {fullDiff}");
    }

    [Fact]
    public void Large_attention_scores_stay_finite_and_match_the_torch_path()
    {
        // Scaled-up query/key weights give scores in the hundreds: the softmax must subtract the max.
        TorchSetup.Seed(13);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, 64, 1, 2, 128, 256));
        using (no_grad())
            foreach (var (name, p) in model.NamedParameters())
                if (name.Contains("q_proj") || name.Contains("k_proj")) p.mul_(60);
        using var noGrad = no_grad();
        using var ids = TorchSetup.RandomIds(2, 40, Vocab, 14);
        using var torchCache = new KvCache(model.Config, 2, 64);
        using var directCache = new KvCache(model.Config, 2, 64);
        model.Forward(ids.narrow(1, 0, 30), torchCache).Dispose();
        model.Forward(ids.narrow(1, 0, 30), directCache).Dispose();
        double diff = 0;
        for (int t = 30; t < 40; t++)
        {
            using var next = ids.narrow(1, t, 1);
            var (direct, reference) = BothPaths(model, next, [0, 1], [1, 1], torchCache, directCache);
            using var disposeDirect = direct;
            using var disposeReference = reference;
            Assert.True(direct.isfinite().all().item<bool>(), "non-finite logits");
            diff = Math.Max(diff, MaxDiff(direct, reference) / Math.Max(1.0, reference.abs().max().item<float>()));
        }
        output.WriteLine($"max relative |direct - torch path| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max relative difference {diff}");
    }

    private static double MaxDiff(Tensor x, Tensor y)
    {
        using var d = (x - y).abs().max();
        return d.item<float>();
    }

    /// <summary>One decode step of every row (token prefill[b] + step), on the torch path and on the direct path: (direct, reference) logits (B, V).</summary>
    private static (Tensor Direct, Tensor Reference) DecodeBoth(LlamaForCausalLm model, Tensor ids, int[] prefill, int step, int rows, int[] slots, KvCache torchCache, KvCache directCache)
    {
        using var next = stack(Enumerable.Range(0, rows).Select(b => ids[b][prefill[b] + step]).ToArray()).view(rows, 1); // (B, 1)
        return BothPaths(model, next, slots, Enumerable.Repeat(1, rows).ToArray(), torchCache, directCache);
    }

    /// <summary>The same cached step (logits at each row's last token) on the torch path and on the direct path: (direct, reference) (B, V).</summary>
    private static (Tensor Direct, Tensor Reference) BothPaths(LlamaForCausalLm model, Tensor input, int[] slots, int[] counts, KvCache torchCache, KvCache directCache)
    {
        model.DirectDecode = false;
        var reference = model.Forward(input, torchCache, slots, counts, lastOnly: true);
        model.DirectDecode = true;
        var direct = model.Forward(input, directCache, slots, counts, lastOnly: true);
        return (direct, reference);
    }
}
