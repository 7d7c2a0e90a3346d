// The engine on a real (tiny, randomly initialised) model: batched ragged rows equal rows run alone,
// cached logits equal the full forward on either attention path (one model forward per step), a decoder
// refuses a path its model cannot take, and a resumed parent reusing its cached prefix decodes the same
// tokens as one that recomputes it. The max difference is printed on failure.
using Apr.Core;
using Apr.Countdown;
using Apr.Model;
using Apr.Protocol;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Apr.Inference.Tests;

[Apr.Testing.Slow]
public sealed class TorchDecoderTests(ITestOutputHelper output)
{
    private static readonly Lock Gate = new();

    private static LlamaForCausalLm TinyModel(long seed)
    {
        lock (Gate)
        {
            set_num_threads(2);
            manual_seed(seed);
            return new LlamaForCausalLm(ModelConfig.Tiny(TestData.Tokenizer.VocabSize));
        }
    }

    private static int[] PromptIds(int problem) =>
        [TestData.Tokenizer.Bos, .. TestData.Tokenizer.Encode(RandomPolicy.RootPrompt(TestData.Problems[problem], SearchMethod.Apr))];

    [Theory]
    [InlineData(AttentionPath.Packed)]
    [InlineData(AttentionPath.Reference)]
    public void Cached_ragged_batched_logits_equal_the_full_forward_of_each_row(AttentionPath path)
    {
        using var model = TinyModel(1);
        using var decoder = new TorchDecoder(model, slots: 5, maxLength: 128, path);
        var rng = new Rng(3);
        var seqs = Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, 40 + 7 * i).Select(_ => (int)rng.NextBelow(1000)).ToArray()).ToArray();
        var pos = new int[4];
        var chunks = new[] { 9, 1, 3, 1, 1, 12, 1, 2 };
        double diff = 0;
        var logits = new float[4 * decoder.VocabSize];
        for (int step = 0; step < chunks.Length; step++)
        {
            // rows of different lengths, in scattered slots; row i takes chunk sizes shifted by i
            var rows = Enumerable.Range(0, 4).Select(i => new DecodeRow(4 - i, seqs[i][pos[i]..(pos[i] + chunks[(step + i) % chunks.Length])])).ToArray();
            decoder.Forward(rows, logits);
            Assert.Equal(step + 1, decoder.ModelCalls);
            for (int i = 0; i < 4; i++)
            {
                pos[i] += rows[i].Tokens.Length;
                using var ids = tensor(seqs[i][..pos[i]].Select(t => (long)t).ToArray()).view(1, -1);
                using var noGrad = no_grad();
                using var full = model.forward(ids); // (1, T, V)
                var last = full[0][pos[i] - 1].data<float>().ToArray();
                for (int v = 0; v < last.Length; v++) diff = Math.Max(diff, Math.Abs(last[v] - logits[i * decoder.VocabSize + v]));
            }
        }
        output.WriteLine($"{path}: max |cached batched - full alone| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
    }

    [Fact]
    public void Rows_decoded_in_one_batch_equal_rows_decoded_one_at_a_time()
    {
        using var model = TinyModel(2);
        var options = new SamplingOptions(1.0);
        List<int>[] Run(int[] which, int slots)
        {
            using var decoder = new TorchDecoder(model, slots, 256);
            var engine = new InferenceEngine(decoder);
            var seqs = which.Select(p => CallSequence.Unguided(PromptIds(p), TestData.Tokenizer, options, Rng.ForItem(5, (ulong)p), new CallLimits(70 + p))).ToArray();
            foreach (var s in seqs) engine.Submit(s);
            while (engine.HasWork) engine.Step();
            return seqs.Select(s => s.Tokens.Select(t => t.Id).ToList()).ToArray();
        }
        var together = Run([0, 1, 2, 3], 4);
        for (int p = 0; p < 4; p++)
            Assert.Equal(Run([p], 1)[0], together[p]);
    }

    [Fact]
    public void Prefix_reuse_on_resume_gives_the_same_tokens_as_recomputing()
    {
        using var model = TinyModel(3);
        var items = TestData.Problems.Take(6).Select((p, i) => new SolveItem(p, (ulong)i)).ToList();
        IReadOnlyList<ProblemRecord> Run(bool reuse)
        {
            using var decoder = new TorchDecoder(model, 24, 512);
            var options = new SolveOptions(Sampling: new SamplingOptions(1.0), PrefixReuse: reuse, Guards: new GuardOptions(ContextPerThread: 512));
            return new AprRuntime(decoder, TestData.Tokenizer, options).Solve(items);
        }
        var reused = Run(true);
        var recomputed = Run(false);
        int resumed = 0;
        for (int i = 0; i < items.Count; i++)
        {
            Assert.Equal(recomputed[i].Calls.Select(c => (c.Thread, c.Call, c.Completion)), reused[i].Calls.Select(c => (c.Thread, c.Call, c.Completion)));
            resumed += reused[i].Calls.Count(c => c.ReusedCacheTokens > 0);
            Assert.All(recomputed[i].Calls, c => Assert.Equal(0, c.ReusedCacheTokens));
        }
        output.WriteLine($"{resumed} resumed calls reused their prefix");
        Assert.True(resumed > 0, "no resumed call reused a cached prefix; the test saw no spawn");
    }

    [Theory]
    [InlineData(AttentionPath.Packed)]
    [InlineData(AttentionPath.Reference)]
    public void One_token_rows_at_any_lengths_share_one_forward_and_equal_each_row_alone(AttentionPath path)
    {
        using var model = TinyModel(4);
        using var decoder = new TorchDecoder(model, slots: 6, maxLength: 256, path);
        var rng = new Rng(9);
        var lengths = new[] { 3, 120, 41, 7, 66 }; // far apart: one forward attends each row over its own length only
        var slots = new[] { 5, 0, 3, 1, 4 };
        var seqs = lengths.Select(n => Enumerable.Range(0, n + 4).Select(_ => (int)rng.NextBelow(1000)).ToArray()).ToArray();
        var logits = new float[5 * decoder.VocabSize];
        decoder.Forward(Enumerable.Range(0, 5).Select(i => new DecodeRow(slots[i], seqs[i][..lengths[i]])).ToArray(), logits);
        double diff = 0;
        for (int step = 0; step < 4; step++)
        {
            long calls = decoder.ModelCalls;
            decoder.Forward(Enumerable.Range(0, 5).Select(i => new DecodeRow(slots[i], [seqs[i][lengths[i] + step]])).ToArray(), logits);
            Assert.Equal(calls + 1, decoder.ModelCalls);
            for (int i = 0; i < 5; i++)
            {
                using var ids = tensor(seqs[i][..(lengths[i] + step + 1)].Select(t => (long)t).ToArray()).view(1, -1);
                using var noGrad = no_grad();
                using var full = model.forward(ids); // (1, T, V)
                var last = full[0][-1].data<float>().ToArray();
                for (int v = 0; v < last.Length; v++) diff = Math.Max(diff, Math.Abs(last[v] - logits[i * decoder.VocabSize + v]));
            }
        }
        output.WriteLine($"{path}: max |one forward - full alone| = {diff:E2}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
    }

    [Fact]
    public void A_decoder_refuses_the_packed_path_for_weights_it_cannot_take()
    {
        using var model = TinyModel(5);
        model.to(bfloat16);
        var e = Assert.Throws<ArgumentException>(() => new TorchDecoder(model, slots: 2, maxLength: 64));
        Assert.Contains("BFloat16", e.Message);
        Assert.Contains("AttentionPath.Reference", e.Message);
    }
}
