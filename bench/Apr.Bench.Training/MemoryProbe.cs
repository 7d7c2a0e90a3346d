// A longer training run with varying sequence lengths (as length bucketing produces), sampling the
// process's resident memory, to see whether the allocator's footprint levels off.
using System.Diagnostics;
using Apr.Core;
using Apr.Model;
using Apr.Training;
using static TorchSharp.torch;

namespace Apr.Bench.Training;

internal static class MemoryProbe
{
    /// <summary>Resident set size in MB after each of <paramref name="steps"/> steps, with token budget <paramref name="tokens"/>.</summary>
    public static List<double> Run(ModelConfig config, int steps, int tokens, ulong seed)
    {
        using var model = TorchProcess.Seeded(2, () => new LlamaForCausalLm(config));
        using var optimizer = new AdamW(model.NamedParameters());
        var rng = new Rng(seed);
        var rss = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (int i = 0; i < steps; i++)
        {
            int seq = rng.NextInt(32, 1024);
            int batch = Math.Max(1, tokens / seq);
            using (var scope = NewDisposeScope())
            {
                var ids = randint(0, config.VocabSize, [batch, seq], dtype: int64);
                var targets = randint(0, config.VocabSize, [batch, seq], dtype: int64);
                model.TokenLosses(ids, targets).mean().backward();
                optimizer.ClipGradients(1.0);
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
            }
            self.Refresh();
            rss.Add(self.WorkingSet64 / 1e6);
        }
        return rss;
    }
}
