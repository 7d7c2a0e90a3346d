// The two attention paths of a cached step on one model, built once per test: the packed path (C# attention
// over the cache, what inference runs) against the reference path (torch ops) and the uncached full
// forward. Rows in scattered slots at different lengths, decoded step by step with two caches, one per
// path, must give the same logits. Head sizes cover the vector code (32), the 8-wide scores with scalar
// mixing (8) and the scalar fallback (12); long rows on 2 threads split the rows across workers. Ragged
// chunks (prefills and forced spans beside decode rows) are packed without padding and must equal the
// reference's padded forward too. The packed path refuses what it cannot compute instead of falling back.
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class AttentionPathTests(ITestOutputHelper output)
{
    private const int Vocab = 100;

    [Theory]
    [InlineData(128, 4, 3)] // head dim 32
    [InlineData(32, 4, 9)] // head dim 8 (the tiny preset)
    [InlineData(36, 3, 4)] // head dim 12, hidden 36 (not a multiple of 8: the norm's scalar tail)
    public void Packed_decode_steps_equal_the_reference_path_and_the_full_forward(int hidden, int heads, int rows)
    {
        TorchSetup.Seed(11);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, hidden, 2, heads, 2 * hidden, 256));
        using var noGrad = no_grad();
        var slots = Enumerable.Range(0, rows).Select(i => (5 * i + 2) % (rows + 3)).ToArray(); // scattered, not in order (5 is prime to rows + 3 here)
        var prefill = Enumerable.Range(0, rows).Select(i => 5 + 7 * i % 23).ToArray(); // different lengths
        using var ids = TorchSetup.RandomIds(rows, 60, Vocab, 12);
        using var referenceCache = new KvCache(model.Config, rows + 3, 128);
        using var packedCache = new KvCache(model.Config, rows + 3, 128);
        for (int b = 0; b < rows; b++)
            foreach (var (cache, path) in new[] { (referenceCache, AttentionPath.Reference), (packedCache, AttentionPath.Packed) })
                model.Forward(ids.narrow(0, b, 1).narrow(1, 0, prefill[b]), cache, path, [slots[b]], [prefill[b]]).Dispose();
        double pathDiff = 0, fullDiff = 0;
        for (int step = 0; step < 21; step++)
        {
            var (packed, reference) = DecodeBoth(model, ids, prefill, step, rows, slots, referenceCache, packedCache);
            using var disposePacked = packed;
            using var disposeReference = reference;
            pathDiff = Math.Max(pathDiff, MaxDiff(packed, reference));
            if (step % 10 == 0)
                for (int b = 0; b < rows; b++)
                {
                    using var full = model.forward(ids.narrow(0, b, 1).narrow(1, 0, prefill[b] + step + 1)); // (1, T, V)
                    fullDiff = Math.Max(fullDiff, MaxDiff(packed[b], full[0][-1]));
                }
        }
        output.WriteLine($"max |packed - reference| = {pathDiff:E2}, max |packed - full forward| = {fullDiff:E2}");
        Assert.True(pathDiff < 1e-4, $"packed vs reference path: max difference {pathDiff}");
        Assert.True(fullDiff < 1e-4, $"packed vs full forward: max difference {fullDiff}");
        for (int b = 0; b < rows; b++) Assert.Equal(prefill[b] + 21, packedCache.Length(slots[b]));
    }

    [Fact]
    public void Long_rows_split_across_threads_equal_the_reference_path()
    {
        // 8 rows x 4 heads x ~1,100 keys is past KvCache's threshold for splitting rows across torch's 2 threads.
        TorchSetup.Seed(15);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, 32, 1, 4, 64, 2048));
        using var noGrad = no_grad();
        int rows = 8;
        var slots = new[] { 7, 2, 5, 0, 3, 6, 1, 4 };
        using var ids = TorchSetup.RandomIds(rows, 1110, Vocab, 16);
        using var referenceCache = new KvCache(model.Config, rows, 1200);
        using var packedCache = new KvCache(model.Config, rows, 1200);
        var prefill = Enumerable.Range(0, rows).Select(i => 1090 + i).ToArray();
        using (var padded = ids.narrow(1, 0, 1097))
        {
            model.Forward(padded, referenceCache, AttentionPath.Reference, slots, prefill).Dispose();
            model.Forward(padded, packedCache, AttentionPath.Packed, slots, prefill).Dispose();
        }
        double diff = 0;
        for (int step = 0; step < 3; step++)
        {
            var (packed, reference) = DecodeBoth(model, ids, prefill, step, rows, slots, referenceCache, packedCache);
            using var disposePacked = packed;
            using var disposeReference = reference;
            diff = Math.Max(diff, MaxDiff(packed, reference));
        }
        output.WriteLine($"max |packed (2 threads) - reference| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
    }

    [Fact]
    public void Ragged_chunks_packed_without_padding_equal_the_reference_path_and_the_full_forward()
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
        using var referenceCache = new KvCache(model.Config, 8, 1200);
        using var packedCache = new KvCache(model.Config, 8, 1200);
        var lengths = new int[rows];
        double pathDiff = 0, fullDiff = 0;
        foreach (var counts in rounds)
        {
            int chunk = counts.Max();
            var data = new long[rows * chunk];
            for (int b = 0; b < rows; b++)
                for (int t = 0; t < counts[b]; t++) data[b * chunk + t] = ids[b][lengths[b] + t].item<long>();
            using var input = tensor(data).view(rows, chunk); // (B, T), padded with id 0
            var (packed, reference) = BothPaths(model, input, slots, counts, referenceCache, packedCache); // (B, V) each
            using var disposePacked = packed;
            using var disposeReference = reference;
            pathDiff = Math.Max(pathDiff, MaxDiff(packed, reference));
            for (int b = 0; b < rows; b++)
            {
                lengths[b] += counts[b];
                Assert.Equal(lengths[b], packedCache.Length(slots[b]));
                using var full = model.forward(ids.narrow(0, b, 1).narrow(1, 0, lengths[b])); // (1, T, V)
                fullDiff = Math.Max(fullDiff, MaxDiff(packed[b], full[0][-1]));
            }
        }
        output.WriteLine($"max |packed - reference| = {pathDiff:E2}, max |packed - full forward| = {fullDiff:E2}");
        Assert.True(pathDiff < 1e-4, $"packed vs reference path: max difference {pathDiff}");
        Assert.True(fullDiff < 1e-4, $"packed vs full forward: max difference {fullDiff}");
    }

    [Fact]
    public void Large_attention_scores_stay_finite_and_match_the_reference_path()
    {
        // Scaled-up query/key weights give scores in the hundreds: the softmax must subtract the max.
        TorchSetup.Seed(13);
        using var model = new LlamaForCausalLm(new ModelConfig(Vocab, 64, 1, 2, 128, 256));
        using (no_grad())
            foreach (var (name, p) in model.NamedParameters())
                if (name.Contains("q_proj") || name.Contains("k_proj")) p.mul_(60);
        using var noGrad = no_grad();
        using var ids = TorchSetup.RandomIds(2, 40, Vocab, 14);
        using var referenceCache = new KvCache(model.Config, 2, 64);
        using var packedCache = new KvCache(model.Config, 2, 64);
        model.Forward(ids.narrow(1, 0, 30), referenceCache, AttentionPath.Reference).Dispose();
        model.Forward(ids.narrow(1, 0, 30), packedCache, AttentionPath.Packed).Dispose();
        double diff = 0;
        for (int t = 30; t < 40; t++)
        {
            using var next = ids.narrow(1, t, 1);
            var (packed, reference) = BothPaths(model, next, [0, 1], [1, 1], referenceCache, packedCache);
            using var disposePacked = packed;
            using var disposeReference = reference;
            Assert.True(packed.isfinite().all().item<bool>(), "non-finite logits");
            diff = Math.Max(diff, MaxDiff(packed, reference) / Math.Max(1.0, reference.abs().max().item<float>()));
        }
        output.WriteLine($"max relative |packed - reference| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max relative difference {diff}");
    }

    [Fact]
    public void The_packed_path_refuses_autograd_and_non_float32_weights_instead_of_falling_back()
    {
        TorchSetup.Seed(19);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var ids = TorchSetup.RandomIds(1, 5, Vocab, 20);
        using var cache = new KvCache(model.Config, 1, 16);
        var e = Assert.Throws<InvalidOperationException>(() => model.Forward(ids, cache, AttentionPath.Packed));
        Assert.Contains("autograd is on", e.Message);
        Assert.Equal(0, cache.Length(0));
        Assert.Null(model.PackedPathUnavailable(cache));
        model.to(bfloat16);
        using var noGrad = no_grad();
        e = Assert.Throws<InvalidOperationException>(() => model.Forward(ids, cache, AttentionPath.Packed));
        Assert.Contains("BFloat16", e.Message);
        Assert.Equal(0, cache.Length(0));
    }

    private static double MaxDiff(Tensor x, Tensor y)
    {
        using var d = (x - y).abs().max();
        return d.item<float>();
    }

    /// <summary>One decode step of every row (token prefill[b] + step) on both paths: (packed, reference) logits (B, V).</summary>
    private static (Tensor Packed, Tensor Reference) DecodeBoth(LlamaForCausalLm model, Tensor ids, int[] prefill, int step, int rows, int[] slots, KvCache referenceCache, KvCache packedCache)
    {
        using var next = stack(Enumerable.Range(0, rows).Select(b => ids[b][prefill[b] + step]).ToArray()).view(rows, 1); // (B, 1)
        return BothPaths(model, next, slots, Enumerable.Repeat(1, rows).ToArray(), referenceCache, packedCache);
    }

    /// <summary>The same cached step (logits at each row's last token) on both paths, each over its own cache: (packed, reference) (B, V).</summary>
    private static (Tensor Packed, Tensor Reference) BothPaths(LlamaForCausalLm model, Tensor input, int[] slots, int[] counts, KvCache referenceCache, KvCache packedCache)
    {
        var reference = model.Forward(input, referenceCache, AttentionPath.Reference, slots, counts, lastOnly: true);
        var packed = model.Forward(input, packedCache, AttentionPath.Packed, slots, counts, lastOnly: true);
        return (packed, reference);
    }
}
