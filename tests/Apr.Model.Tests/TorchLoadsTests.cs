// Checks that TorchSharp's native library loads on this machine (see build/README.md): a tensor can be
// created and computed with. Does not test the model.
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
}
