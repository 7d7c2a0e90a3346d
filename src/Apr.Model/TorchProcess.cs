// TorchProcess: torch's process-wide state in one place, under one lock: the intra-op thread count and
// the global random generator that initialises fresh weights. Everything that sets either (inference
// sessions, the trainers, the benchmarks) goes through here, so a seeded model is built while no one
// else can reseed or draw from the generator, and the thread count has one default.
using static TorchSharp.torch;

namespace Apr.Model;

public static class TorchProcess
{
    private static readonly Lock Gate = new();

    /// <summary>The default intra-op thread count: every core.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>Sets torch's intra-op threads (0 or less: <see cref="DefaultThreads"/>).</summary>
    public static void SetThreads(int threads)
    {
        lock (Gate) set_num_threads(threads > 0 ? threads : DefaultThreads);
    }

    /// <summary>Seeds torch's global generator with <paramref name="seed"/> and runs <paramref name="create"/> before anyone else may touch it.</summary>
    public static T Seeded<T>(ulong seed, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (Gate)
        {
            manual_seed((long)(seed & long.MaxValue));
            return create();
        }
    }
}
