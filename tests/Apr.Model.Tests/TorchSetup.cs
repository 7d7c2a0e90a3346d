// Fixed torch threads and seed for every model test, so results do not depend on the machine's core count.
// The seed is process-wide: a test seeds, then builds its model, and nothing else may reseed in between;
// that holds because this assembly runs one test at a time (OneTestAtATime.cs), not because of the lock.
using static TorchSharp.torch;

namespace Apr.Model.Tests;

internal static class TorchSetup
{
    private static readonly Lock Gate = new();
    private static bool _done;

    /// <summary>Sets 2 intra-op threads once, then seeds torch with <paramref name="seed"/>.</summary>
    public static void Seed(long seed)
    {
        lock (Gate)
        {
            if (!_done)
            {
                set_num_threads(2);
                _done = true;
            }
            manual_seed(seed);
        }
    }

    /// <summary>Random ids (B, T) in 0..vocab-1 from a fixed seed.</summary>
    public static Tensor RandomIds(int rows, int length, int vocab, long seed)
    {
        using var g = new TorchSharp.torch.Generator((ulong)seed);
        return randint(0, vocab, [rows, length], dtype: int64, generator: g);
    }
}
