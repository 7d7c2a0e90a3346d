// Input fuzzing (issue 16) of the model and run files with CsCheck: damaged copies of a real config.json
// (the shipped APR model's), a safetensors file (its header text damaged, or the file cut anywhere), a
// checkpoint's state.json and metrics.jsonl lines either read or fail with the one error type their
// callers turn into a one-line message (config: ArgumentException / JsonException / NotSupportedException,
// which ModelConfig.Load names the file with; the others: InvalidDataException); never another exception,
// a hang or a crash. bench/fuzz.sh runs these at 100,000 inputs.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Apr.Model;
using Apr.Testing;
using CsCheck;
using static TorchSharp.torch;

namespace Apr.Training.Tests;

public sealed class FileFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-file-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_damaged_config_reads_or_fails_with_a_config_error() =>
        Mutations.Of([File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "models", "apr", "config.json"))]).Fuzz(json =>
        {
            try { ModelConfig.FromJson(json); }
            catch (Exception e) when (e is ArgumentException or JsonException or NotSupportedException) { Assert.False(string.IsNullOrEmpty(e.Message)); }
        }, iter: Mutations.Iterations);

    [Fact]
    public void A_damaged_safetensors_file_reads_or_fails_with_a_data_error()
    {
        var (header, data) = SmallSafetensors();
        var path = Path.Combine(_dir, "w.safetensors");
        var whole = Whole(header, data);
        // Either the header's text is damaged (its length prefix kept right) or the whole file is cut short.
        Gen.Select(Mutations.Of([header]), Gen.Bool, Gen.Double[0, 1], (h, cut, at) => (h, cut, at)).Fuzz(input =>
        {
            var bytes = input.cut ? whole[..(int)(input.at * whole.Length)] : Whole(input.h, data);
            File.WriteAllBytes(path, bytes);
            try
            {
                foreach (var t in SafeTensors.Read(path).Values) t.Dispose();
                SafeTensors.ReadMetadata(path);
            }
            catch (InvalidDataException e) { Assert.Contains(path, e.Message); }
        }, iter: Math.Max(1, Mutations.Iterations / 4), threads: 1); // one file, rewritten per input
    }

    [Fact]
    public void A_damaged_checkpoint_state_reads_or_fails_with_a_data_error()
    {
        var state = new TrainingState(Step: 600, Epoch: 1, BatchInEpoch: 12, Seed: 7, TokensSeen: 4_719_092, ElapsedSeconds: 1259.13) { BatchTokens = 8192 };
        Mutations.Of([state.ToJson()]).Fuzz(json =>
        {
            try { TrainingState.FromJson(json); }
            catch (InvalidDataException e) { Assert.False(string.IsNullOrEmpty(e.Message)); }
        }, iter: Mutations.Iterations);
    }

    [Fact]
    public void Damaged_metrics_lines_read_or_fail_with_a_data_error_naming_the_line()
    {
        const string lines = """
            {"step":1,"epoch":0,"loss":2.839306,"lr":3.3333333333333335E-05,"grad_norm":4.344239,"tokens":8188,"tokens_per_s":4062.7,"elapsed_s":2.015}
            {"step":2,"epoch":0,"loss":3.098781,"lr":6.666666666666667E-05,"grad_norm":4.593535,"tokens":16284,"tokens_per_s":5397.7,"elapsed_s":3.526,"val_loss":1.5}
            """;
        var path = Path.Combine(_dir, "metrics.jsonl");
        Mutations.Of([lines]).Fuzz(text =>
        {
            File.WriteAllText(path, text);
            var log = new MetricsLog(path);
            try
            {
                _ = log.Lines().Count();
                log.Curves();
            }
            catch (InvalidDataException e) { Assert.StartsWith(path + ":", e.Message); }
        }, iter: Mutations.Iterations, threads: 1);
    }

    /// <summary>A two-tensor safetensors file split into its header text and its data.</summary>
    private (string Header, byte[] Data) SmallSafetensors()
    {
        var path = Path.Combine(_dir, "seed.safetensors");
        using (var a = arange(6, dtype: ScalarType.Float32).reshape(2, 3))
        using (var b = ones(4, dtype: ScalarType.BFloat16))
        using (var f = File.Create(path))
            SafeTensors.Write(f, [new("a", a), new("b", b)], new Dictionary<string, string> { ["format"] = "pt" });
        var file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        return (Encoding.UTF8.GetString(file, 8, length), file[(8 + length)..]);
    }

    private static byte[] Whole(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        return bytes;
    }
}
