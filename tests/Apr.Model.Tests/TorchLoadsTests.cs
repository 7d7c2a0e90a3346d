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
        // Fails, never passes vacuously, when either file is missing: a check that finds nothing to
        // compare has checked nothing. The package folder is the one this build restored into.
        Assert.True(OperatingSystem.IsLinux(), "this check compares the linux-x64 native library; it has nothing to compare on another OS");
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string package = Path.Combine(NuGetPackageRoot(), "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"the test output has no native library to compare: {output}");
        Assert.True(File.Exists(package), $"the TorchSharp package's native library is not at {package} (TorchSharp upgraded? update the version here)");
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

    // NuGet's package folder as the build saw it (the csproj stamps $(NuGetPackageRoot) into the assembly).
    private static string NuGetPackageRoot() =>
        typeof(TorchLoadsTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .SingleOrDefault(m => m.Key == "NuGetPackageRoot")?.Value is { Length: > 0 } root
            ? root
            : throw new InvalidOperationException("the test assembly does not say where NuGet restored packages (NuGetPackageRoot metadata missing)");
}
