// The safetensors reader/writer: round trip of several dtypes, the header layout, and corrupt files.
using System.Buffers.Binary;
using System.Text;
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class SafeTensorsTests
{
    [Fact]
    public void Round_trip_keeps_names_dtypes_shapes_values_and_metadata()
    {
        TorchSetup.Seed(11);
        using var f = randn(3, 4);
        using var h = randn(5).to(bfloat16);
        using var i = arange(6, dtype: int64).view(2, 3);
        string path = Path.GetTempFileName();
        using (var s = File.Create(path))
            SafeTensors.Write(s, [KeyValuePair.Create("b.f", f), KeyValuePair.Create("a.h", h), KeyValuePair.Create("c.i", i)],
                new Dictionary<string, string> { ["format"] = "pt" });
        var back = SafeTensors.Read(path);
        Assert.Equal(["a.h", "b.f", "c.i"], back.Keys.Order());
        Assert.True(back["b.f"].equal(f).all().item<bool>());
        Assert.True(back["a.h"].equal(h).all().item<bool>());
        Assert.Equal(ScalarType.BFloat16, back["a.h"].dtype);
        Assert.True(back["c.i"].equal(i).all().item<bool>());
        Assert.Equal("pt", SafeTensors.ReadMetadata(path)["format"]);
        foreach (var t in back.Values) t.Dispose();
        File.Delete(path);
    }

    [Fact]
    public void Header_is_length_prefixed_json_padded_to_eight_bytes_then_raw_little_endian_data()
    {
        using var t = tensor(new float[] { 1f, 2f });
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [KeyValuePair.Create("x", t)]);
        byte[] bytes = ms.ToArray();
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        Assert.Equal("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", Encoding.UTF8.GetString(bytes, 8, n).TrimEnd());
        Assert.Equal(8 + n + 8, bytes.Length);
        Assert.Equal(2f, BitConverter.ToSingle(bytes, 8 + n + 4));
    }

    [Fact]
    public void Truncated_file_fails_with_the_sizes()
    {
        using var t = zeros(10);
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [KeyValuePair.Create("x", t)]);
        string path = Path.GetTempFileName();
        File.WriteAllBytes(path, ms.ToArray()[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Contains("40 bytes", e.Message);
        File.Delete(path);
    }

    [Theory]
    [InlineData("{\"w\": [1,,2]}", "not JSON")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", "not JSON")]
    [InlineData("{\"w\": {\"shape\": [2], \"data_offsets\": [0, 8]}}", "unsupported dtype (none)")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 8]}}", "no 'shape' array")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0]}}", "malformed shape or data_offsets")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [\"two\"], \"data_offsets\": [0, 8]}}", "header is malformed")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "needs 16 bytes")]
    public void A_malformed_header_is_an_error_naming_the_file_and_the_fault(string header, string fault)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        string path = Path.Combine(Path.GetTempPath(), $"apr-bad-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(fault, e.Message);
        if (fault is "not JSON" or "not a JSON object") Assert.Contains(fault, Assert.Throws<InvalidDataException>(() => SafeTensors.ReadMetadata(path)).Message);
        File.Delete(path);
    }
}
