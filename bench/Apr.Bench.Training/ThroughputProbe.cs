// Times full training steps (forward, backward, clip, AdamW) of apr's model on random tokens, and the
// machine's float32 matmul rate, so tokens/s and model FLOPs utilisation can be reported. Speed only.
using System.Diagnostics;
using Apr.Model;
using Apr.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Apr.Bench.Training;

internal static class ThroughputProbe
{
    /// <summary>Median seconds per training step over <paramref name="steps"/> steps after <paramref name="warmup"/>.</summary>
    public static double MedianStepSeconds(ModelConfig config, int batch, int seq, int steps, int warmup, bool bf16)
    {
        using var model = TorchProcess.Seeded(1, () => new LlamaForCausalLm(config));
        var masters = bf16 ? AdamW.CastToBf16(model) : null;
        using var optimizer = new AdamW(model.NamedParameters(), masters: masters);
        using var ids = randint(0, config.VocabSize, [batch, seq], dtype: int64);
        using var targets = randint(0, config.VocabSize, [batch, seq], dtype: int64);
        var times = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                model.TokenLosses(ids, targets).mean().backward();
                optimizer.ClipGradients(1.0);
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
            }
            if (i >= warmup) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Training FLOPs per token: 6 x matmul parameters + 12 x layers x hidden x sequence (PaLM appendix B).</summary>
    public static double FlopsPerToken(ModelConfig c, int seq) =>
        6.0 * (c.NonEmbeddingParameterCount + (long)c.VocabSize * c.HiddenSize) + 12.0 * c.NumHiddenLayers * c.HiddenSize * seq;

    /// <summary>Best float32 GFLOP/s of a 1024x1024 matmul on this machine with the current thread count.</summary>
    public static double MatmulGflops()
    {
        using var a = randn(1024, 1024);
        using var b = randn(1024, 1024);
        double best = double.MaxValue;
        for (int i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }
}
