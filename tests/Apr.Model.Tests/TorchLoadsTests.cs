// Checks that TorchSharp's native library loads on this machine (see build/README.md): a tensor can be
// created and computed with, and the library copied to the output differs from the package's at most in
// the one flag byte the build's fix sets. Does not test the model.
using TorchSharp;

namespace Apr.Model.Tests;

public sealed class TorchLoadsTests
{
    [Fact]
    public void A_tensor_can_be_created_and_summed()
    {
        using var t = torch.arange(1, 5, dtype: torch.float32); // (4,)
        using var s = t.sum();
        Assert.Equal(10f, s.item<float>());
    }

    [Fact]
    public void Output_native_library_differs_from_the_package_at_most_in_one_flag_byte()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string package = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(package)) return; // nothing to compare on this machine
        byte[] a = File.ReadAllBytes(output), b = File.ReadAllBytes(package);
        Assert.Equal(b.Length, a.Length);
        int differing = a.Zip(b).Count(p => p.First != p.Second);
        Assert.True(differing <= 1, $"{differing} bytes differ");
        if (differing == 1)
        {
            int i = Enumerable.Range(0, a.Length).First(k => a[k] != b[k]);
            Assert.Equal(b[i] | 0x2, a[i]); // VER_FLG_WEAK added, nothing else
        }
    }
}
