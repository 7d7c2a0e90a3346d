// ModelFiles.WriteMean (the weights of `apr export --average`): the elementwise mean of several files, stored in each
// tensor's dtype; files that are not the same architecture are refused by name and nothing is written.
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class WeightMeanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-mean-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params (string Name, Tensor Tensor)[] tensors)
    {
        var path = Path.Combine(_dir, name);
        using var s = File.Create(path);
        SafeTensors.Write(s, tensors.Select(t => KeyValuePair.Create(t.Name, t.Tensor)));
        return path;
    }

    [Fact]
    public void The_mean_of_three_files_is_elementwise_in_each_tensors_dtype()
    {
        TorchSetup.Seed(21);
        using var a = randn(4, 3);
        using var b = randn(4, 3);
        using var c = randn(4, 3);
        using var ha = randn(5).to(bfloat16);
        using var hb = randn(5).to(bfloat16);
        using var hc = randn(5).to(bfloat16);
        var files = new[] { Write("a", ("w", a), ("h", ha)), Write("b", ("w", b), ("h", hb)), Write("c", ("w", c), ("h", hc)) };
        var output = Path.Combine(_dir, "mean.safetensors");
        ModelFiles.WriteMean(files, output);
        var back = SafeTensors.Read(output);
        using var expected = (a.to(float64) + b.to(float64) + c.to(float64)) / 3;
        Assert.Equal(ScalarType.Float32, back["w"].dtype);
        Assert.True(back["w"].to(float64).allclose(expected, rtol: 0, atol: 1e-6), "float32 mean differs from (a + b + c) / 3");
        Assert.False(back["w"].equal(a).all().item<bool>());
        using var expectedH = ((ha.to(float64) + hb.to(float64) + hc.to(float64)) / 3).to(bfloat16);
        Assert.Equal(ScalarType.BFloat16, back["h"].dtype);
        Assert.True(back["h"].equal(expectedH).all().item<bool>(), "bfloat16 mean is not the float64 mean rounded once");
        foreach (var t in back.Values) t.Dispose();

        ModelFiles.WriteMean([files[0]], Path.Combine(_dir, "one.safetensors"));
        var one = SafeTensors.Read(Path.Combine(_dir, "one.safetensors"));
        Assert.True(one["w"].equal(a).all().item<bool>() && one["h"].equal(ha).all().item<bool>(), "the mean of one file is not that file");
        foreach (var t in one.Values) t.Dispose();
    }

    [Fact]
    public void Files_that_differ_in_a_name_shape_or_dtype_are_refused_by_name_and_nothing_is_written()
    {
        using var w = zeros(2, 2);
        using var v = zeros(2, 2);
        var first = Write("first", ("w", w), ("v", v));
        var cases = new (string File, string Expected)[]
        {
            (Write("renamed", ("w", w), ("u", v)), "tensor u is in one only"),
            (Write("missing", ("w", w)), "tensor v is in one only"),
            (Write("reshaped", ("w", zeros(4)), ("v", v)), "tensor w is Float32 [4]"),
            (Write("retyped", ("w", w), ("v", zeros(2, 2).to(bfloat16))), "tensor v is BFloat16 [2, 2]"),
        };
        var output = Path.Combine(_dir, "mean.safetensors");
        foreach (var (file, expected) in cases)
        {
            var e = Assert.Throws<InvalidDataException>(() => ModelFiles.WriteMean([first, file], output));
            Assert.StartsWith(file + ":", e.Message);
            Assert.Contains(expected, e.Message);
            Assert.False(File.Exists(output));
        }
    }
}
