// glibc malloc's dynamic mmap threshold: after a large block is freed, glibc raises the threshold, so later
// large tensors come from the heap arenas and freed memory is kept rather than returned. Fixing the
// threshold makes every large tensor its own mapping, returned on free. Linux/glibc only; a no-op elsewhere.
using System.Runtime.InteropServices;

namespace Apr.Bench.Training;

internal static class MallocTuning
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);

    /// <summary>Sets a fixed mmap threshold of <paramref name="bytes"/>; returns whether glibc accepted it.</summary>
    public static bool FixMmapThreshold(int bytes)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return Mallopt(MmapThreshold, bytes) == 1; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }
}
