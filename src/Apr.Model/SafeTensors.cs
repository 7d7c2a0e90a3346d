// A small reader/writer of the safetensors format (8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets}} plus optional "__metadata__", then the raw little-endian bytes).
// Supports F32, F16, BF16, I64 and I32; CPU tensors only. Does not memory-map: files here are a few MB.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Apr.Model;

/// <summary>Reads and writes named tensors in the safetensors format.</summary>
public static class SafeTensors
{
    private static readonly (ScalarType Type, string Name, int Size)[] DTypes =
    [
        (ScalarType.Float32, "F32", 4), (ScalarType.Float16, "F16", 2), (ScalarType.BFloat16, "BF16", 2),
        (ScalarType.Int64, "I64", 8), (ScalarType.Int32, "I32", 4),
    ];

    /// <summary>Writes the tensors, keys sorted, to a stream.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var sorted = tensors.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is not null)
            header["__metadata__"] = new JsonObject(metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        long offset = 0;
        var blobs = new List<byte[]>();
        foreach (var (name, t) in sorted)
        {
            if (t.device_type != DeviceType.CPU) throw new ArgumentException($"tensor {name} is on {t.device}, not the CPU");
            using var c = t.detach().contiguous();
            byte[] bytes = c.bytes.ToArray();
            blobs.Add(bytes);
            header[name] = new JsonObject
            {
                ["dtype"] = NameOf(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            offset += bytes.Length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // pad with spaces so the data starts 8-byte aligned
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var blob in blobs) stream.Write(blob);
    }

    /// <summary>Reads every tensor of a safetensors file. The caller owns (disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        if (file.Length < 8) throw new InvalidDataException($"{path}: {file.Length} bytes is too short for safetensors");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8)) throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file ({file.Length} bytes)");
        int dataStart = 8 + (int)headerLength;
        var header = Header(path, file.AsSpan(8, (int)headerLength));
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__" || node is null) continue;
                var (type, size) = TypeOf(node["dtype"]?.GetValue<string>() ?? "(none)", path, name);
                long[] shape = Array(node, "shape", path, name).Select(s => s?.GetValue<long>() ?? -1).ToArray();
                var offsets = Array(node, "data_offsets", path, name);
                if (offsets.Count != 2 || shape.Any(s => s < 0)) throw new InvalidDataException($"{path}: tensor {name} has a malformed shape or data_offsets");
                long begin = offsets[0]?.GetValue<long>() ?? -1, end = offsets[1]?.GetValue<long>() ?? -1;
                long expected = shape.Aggregate(1L, (a, s) => checked(a * s)) * size;
                if (begin < 0 || end - begin != expected || dataStart + end > file.Length)
                    throw new InvalidDataException($"{path}: tensor {name} has offsets {begin}..{end} but shape [{string.Join(", ", shape)}] needs {expected} bytes");
                var t = empty(shape, type);
                t.bytes = file.AsSpan(dataStart + (int)begin, (int)expected);
                result[name] = t;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            foreach (var t in result.Values) t.Dispose();
            throw new InvalidDataException($"{path}: the safetensors header is malformed: {e.Message}", e);
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>The header as a JSON object, or an error naming the file.</summary>
    private static JsonObject Header(string path, ReadOnlySpan<byte> json)
    {
        try
        {
            // A name given twice is refused here (the format names each tensor once), not left to fail later as an
            // ArgumentException when the object is first enumerated.
            return JsonNode.Parse(json, documentOptions: Core.Json.Strict) as JsonObject
                ?? throw new InvalidDataException($"{path}: the safetensors header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not JSON: {e.Message}", e);
        }
    }

    private static JsonArray Array(JsonNode node, string field, string path, string tensor) =>
        node[field] as JsonArray ?? throw new InvalidDataException($"{path}: tensor {tensor} has no '{field}' array");

    /// <summary>The "__metadata__" entries of a safetensors file (empty when there are none).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        try { f.ReadExactly(length); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path}: {f.Length} bytes is too short for safetensors"); }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength > (ulong)(f.Length - 8)) throw new InvalidDataException($"{path}: header length {headerLength} exceeds the file ({f.Length} bytes)");
        var json = new byte[headerLength];
        f.ReadExactly(json);
        var meta = Header(path, json)["__metadata__"] as JsonObject;
        return meta is null
            ? new Dictionary<string, string>()
            : meta.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidDataException($"{path}: metadata '{p.Key}' is not a string"));
    }

    private static string NameOf(ScalarType type) =>
        DTypes.FirstOrDefault(d => d.Type == type).Name ?? throw new ArgumentException($"dtype {type} is not supported by this safetensors writer");

    private static (ScalarType, int) TypeOf(string name, string path, string tensor)
    {
        foreach (var d in DTypes)
            if (d.Name == name) return (d.Type, d.Size);
        throw new InvalidDataException($"{path}: tensor {tensor} has unsupported dtype {name}");
    }
}
