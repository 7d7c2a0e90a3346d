// The model: parameter names/shapes against a golden file, save/load, log-probabilities against a slow
// reference, and the KV cache against the full forward on both attention paths.
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class LlamaForCausalLmTests(ITestOutputHelper output)
{
    private const int Vocab = 100;

    [Fact]
    public void Parameter_names_and_shapes_match_the_golden_file()
    {
        TorchSetup.Seed(1);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        string actual = string.Join("\n", model.NamedParameters().Select(p => $"{p.Name} [{string.Join(", ", p.Parameter.shape)}]")) + "\n";
        string golden = Path.Combine(AppContext.BaseDirectory, "Golden", "tiny-parameters.txt");
        if (!File.Exists(golden) || File.ReadAllText(golden) != actual)
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "tiny-parameters.actual.txt"), actual);
            Assert.Fail($"parameter list differs from {golden}; actual:\n{actual}");
        }
        long count = model.NamedParameters().Sum(p => p.Parameter.numel());
        Assert.Equal(ModelConfig.Tiny(Vocab).ParameterCount, count);
    }

    [Fact]
    public void Saved_and_loaded_model_gives_identical_logits()
    {
        TorchSetup.Seed(2);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        string dir = Directory.CreateTempSubdirectory("apr-model-").FullName;
        ModelFiles.Save(model, dir);
        using var loaded = ModelFiles.Load(dir);
        using var ids = TorchSetup.RandomIds(2, 17, Vocab, 3);
        using var a = model.forward(ids);
        using var b = loaded.forward(ids);
        Assert.True(a.equal(b).all().item<bool>(), "logits differ after save/load");
        Assert.Equal(model.Config, loaded.Config);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Token_log_probs_equal_log_softmax_of_the_logits_at_the_targets()
    {
        TorchSetup.Seed(3);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var ids = TorchSetup.RandomIds(3, 9, Vocab, 4);
        using var targets = TorchSetup.RandomIds(3, 9, Vocab, 5);
        using var fast = model.TokenLogProbs(ids, targets);
        using var logits = model.forward(ids);
        var lp = logits.log_softmax(-1).data<float>().ToArray();
        var tg = targets.data<long>().ToArray();
        var f = fast.data<float>().ToArray();
        for (int i = 0; i < tg.Length; i++)
            Assert.Equal(lp[i * Vocab + (int)tg[i]], f[i], 4);
    }

    [Fact]
    public void Logits_at_chosen_positions_equal_the_full_forward_there_and_carry_gradients()
    {
        TorchSetup.Seed(6);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var ids = TorchSetup.RandomIds(3, 9, Vocab, 7);
        long[] rows = [0, 5, 9, 17, 26]; // (b * 9 + t): rows 0, 0, 1, 1, 2
        using var index = tensor(rows);
        using var at = model.LogitsAt(ids, index); // (5, V)
        using var full = model.forward(ids).reshape(27, Vocab); // (27, V)
        using var expected = full.index_select(0, index);
        Assert.Equal([5L, Vocab], at.shape);
        using (var diff = (at - expected).abs().max()) Assert.True(diff.item<float>() < 1e-5, $"max difference {diff.item<float>()}");
        using var sum = at.sum();
        sum.backward();
        var head = model.NamedParameters().Single(p => p.Name == "lm_head.weight").Parameter;
        Assert.True(head.grad is not null && head.grad.abs().sum().item<float>() > 0, "no gradient reached the head");
    }

    [Theory]
    [InlineData(AttentionPath.Reference)]
    [InlineData(AttentionPath.Packed)]
    public void Cached_step_by_step_logits_equal_the_full_forward(AttentionPath path)
    {
        TorchSetup.Seed(4);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var noGrad = no_grad();
        using var ids = TorchSetup.RandomIds(2, 24, Vocab, 6);
        using var full = model.forward(ids); // (2, 24, V)
        using var cache = new KvCache(model.Config, slots: 2, maxLength: 64);
        // prefill 10 tokens, then decode one at a time
        var pieces = new List<Tensor> { model.Forward(ids.narrow(1, 0, 10), cache, path) };
        for (int t = 10; t < 24; t++)
            pieces.Add(model.Forward(ids.narrow(1, t, 1), cache, path));
        using var cached = cat(pieces, 1);
        double diff = (cached - full).abs().max().item<float>();
        output.WriteLine($"{path}: max |cached - full| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
        Assert.Equal(24, cache.Length(0));
        foreach (var p in pieces) p.Dispose();
    }

    [Theory]
    [InlineData(AttentionPath.Reference)]
    [InlineData(AttentionPath.Packed)]
    public void Ragged_rows_in_other_slots_at_other_positions_equal_each_row_alone(AttentionPath path)
    {
        TorchSetup.Seed(5);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var noGrad = no_grad();
        using var a = TorchSetup.RandomIds(1, 20, Vocab, 7); // row A: 20 tokens
        using var b = TorchSetup.RandomIds(1, 12, Vocab, 8); // row B: 12 tokens
        using var fullA = model.forward(a);
        using var fullB = model.forward(b);
        using var cache = new KvCache(model.Config, slots: 4, maxLength: 32);
        // A goes to slot 3, B to slot 1; prefill A with 7 tokens and B with 3 in one ragged chunk (padded with 0).
        using var chunk = zeros([2, 7], int64);
        chunk[0].copy_(a[0].narrow(0, 0, 7));
        chunk[1].narrow(0, 0, 3).copy_(b[0].narrow(0, 0, 3));
        using var first = model.Forward(chunk, cache, path, [3, 1], [7, 3]); // (2, 7, V)
        double diff = Math.Max(MaxDiff(first[0].narrow(0, 0, 7), fullA[0].narrow(0, 0, 7)), MaxDiff(first[1].narrow(0, 0, 3), fullB[0].narrow(0, 0, 3)));
        // then decode both, one token each, with the last-token logits only
        int posA = 7, posB = 3;
        while (posB < 12)
        {
            using var step = stack([a[0][posA], b[0][posB]]).view(2, 1); // (2, 1)
            using var last = model.Forward(step, cache, path, [3, 1], [1, 1], lastOnly: true); // (2, V)
            diff = Math.Max(diff, Math.Max(MaxDiff(last[0], fullA[0][posA]), MaxDiff(last[1], fullB[0][posB])));
            posA++;
            posB++;
        }
        output.WriteLine($"{path}: max |batched ragged - alone| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
        Assert.Equal((16, 12), (cache.Length(3), cache.Length(1)));
    }

    [Theory]
    [InlineData(AttentionPath.Reference)]
    [InlineData(AttentionPath.Packed)]
    public void Copied_prefix_continues_like_the_original(AttentionPath path)
    {
        TorchSetup.Seed(6);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var noGrad = no_grad();
        using var ids = TorchSetup.RandomIds(1, 16, Vocab, 9);
        using var full = model.forward(ids);
        using var cache = new KvCache(model.Config, slots: 2, maxLength: 32);
        using var _ = model.Forward(ids, cache, path, [0], [16]);
        cache.CopyPrefix(0, 1, 10);
        cache.Truncate(0, 5);
        using var rest = model.Forward(ids.narrow(1, 10, 6), cache, path, [1], [6]); // continues slot 1 at 10
        double diff = MaxDiff(rest[0], full[0].narrow(0, 10, 6));
        output.WriteLine($"{path}: max |copied prefix - full| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
        Assert.Equal(5, cache.Length(0));
    }

    [Fact]
    public void Cache_overflow_fails_with_the_lengths()
    {
        TorchSetup.Seed(7);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(Vocab));
        using var cache = new KvCache(model.Config, slots: 1, maxLength: 8);
        using var ids = TorchSetup.RandomIds(1, 9, Vocab, 1);
        var e = Assert.Throws<InvalidOperationException>(() => model.Forward(ids, cache, AttentionPath.Reference));
        Assert.Contains("0 + 9 tokens exceed the cache length 8", e.Message);
    }

    private static double MaxDiff(Tensor x, Tensor y)
    {
        using var d = (x - y).abs().max();
        return d.item<float>();
    }
}
