// TorchSharp's Scalar has a finalizer, and an op handed a temporary one (`a + b` is a.add(b, 1), a new Scalar 1) passes
// its handle to libtorch with nothing keeping the Scalar reachable: a garbage collection on another thread during the
// call can finalize it, and libtorch reads freed memory (a 5-number eval died with "Expected false to be true ...
// toFloat" in the residual add). These run the model's and the value's forwards while another thread collects and
// runs finalizers without pause: each forward must give the same numbers as the first, without an error.
// (A race: on the code before Apr.Model.Scalars these failed within a few hundred forwards on this machine; passing
// runs are evidence, not proof.)
using TorchSharp;
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class FinalizerRaceTests
{
    /// <summary>Runs <paramref name="forward"/> <paramref name="times"/> times while another thread collects and runs
    /// finalizers without pause; every result must equal the first, bit for bit.</summary>
    private static void StableUnderCollections(Func<Tensor> forward, int times)
    {
        float[] first;
        using (var logits = forward()) first = logits.data<float>().ToArray();
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        try
        {
            for (int i = 0; i < times; i++)
            {
                using var again = forward();
                Assert.True(again.data<float>().ToArray().AsSpan().SequenceEqual(first), $"forward {i} differs from the first");
            }
        }
        finally
        {
            stop.Cancel();
            collector.Wait();
        }
    }

    [Fact]
    public void The_model_forward_is_stable_while_finalizers_run()
    {
        TorchSetup.Seed(3);
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(100));
        using var noGrad = no_grad();
        using var ids = randint(0, 100, [2, 48], dtype: int64);
        StableUnderCollections(() => model.forward(ids), 400);
    }

    [Fact]
    public void The_value_forward_is_stable_while_finalizers_run()
    {
        TorchSetup.Seed(4);
        using var mlp = new NumberMlp(NumberMlpConfig.Default);
        var states = Enumerable.Range(0, 64).Select(i => ((long)(10 + i), (IReadOnlyList<long>)[i % 7 + 1, i % 5 + 2, 3])).ToList();
        using var noGrad = no_grad();
        StableUnderCollections(() => mlp.Logits(states), 1000);
    }
}
