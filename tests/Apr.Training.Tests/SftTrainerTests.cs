// The training loop end to end on the tiny preset: it learns, it resumes exactly after a kill, and its
// checkpoints are complete and atomic.
using System.Text.Json.Nodes;
using Apr.Model;
using Apr.Testing;
using Xunit.Abstractions;

namespace Apr.Training.Tests;

[Slow]
public sealed class SftTrainerTests(ITestOutputHelper output)
{
    private static SftOptions Options(string data, string outDir, int steps) => new()
    {
        DataFiles = [data],
        OutputDirectory = outDir,
        Preset = "tiny",
        Steps = steps,
        BatchTokens = 1024,
        GradAccumulation = 2,
        PeakLr = 3e-3,
        MinLr = 3e-4,
        WarmupSteps = 5,
        ValFraction = 0.25,
        ValInterval = 5,
        CheckpointInterval = 4,
        Seed = 11,
        Threads = 2,
    };

    [Fact]
    public void Tiny_preset_overfits_a_handful_of_traces()
    {
        string dir = TestTraces.TempDirectory();
        string data = TestTraces.Write(dir, problems: 6, seed: 1);
        var records = new List<SftStepRecord>();
        var result = SftTrainer.Run(Options(data, Path.Combine(dir, "run"), 80) with { ValFraction = 0, GradAccumulation = 1, PeakLr = 1e-2 },
            new SyncProgress(records.Add));
        double first = records[0].Loss, last = records[^1].Loss;
        output.WriteLine($"loss {first:F3} -> {last:F3} in {records.Count} steps, {result.Tokens} tokens, {result.Elapsed.TotalSeconds:F1}s");
        Assert.True(last < 0.35 * first, $"loss fell only from {first:F3} to {last:F3}");
        Assert.True(File.Exists(Path.Combine(dir, "run", "loss.png")));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(dir, "run", "loss.png"))[..4]);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void A_resume_that_would_change_the_data_order_or_reads_a_bad_state_is_refused_with_what_to_do()
    {
        string dir = TestTraces.TempDirectory();
        string data = TestTraces.Write(dir, problems: 6, seed: 3);
        string run = Path.Combine(dir, "run");
        SftTrainer.Run(Options(data, run, 4), null);
        var metrics = File.ReadAllText(Path.Combine(run, "metrics.jsonl"));
        var e = Assert.Throws<InvalidDataException>(() => SftTrainer.Run(Options(data, run, 6) with { Resume = true, BatchTokens = 4096 }, null));
        Assert.Contains("--batch-tokens 1024, not 4096", e.Message); // was: "Index was out of range"
        e = Assert.Throws<InvalidDataException>(() => SftTrainer.Run(Options(data, run, 6) with { Resume = true, Seed = 12 }, null));
        Assert.Contains("--seed 11, not 12", e.Message);
        File.WriteAllText(Path.Combine(new CheckpointStore(run).Latest()!, "state.json"), "{\"step\": \"x\"}");
        e = Assert.Throws<InvalidDataException>(() => SftTrainer.Run(Options(data, run, 6) with { Resume = true }, null));
        Assert.Contains("state.json is not a training state", e.Message);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(run, "metrics.jsonl"))); // nothing written by the refused runs
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Run_killed_after_its_checkpoint_resumes_on_the_uninterrupted_loss_curve()
    {
        string dir = TestTraces.TempDirectory();
        string data = TestTraces.Write(dir, problems: 12, seed: 2);
        var straight = new List<SftStepRecord>();
        SftTrainer.Run(Options(data, Path.Combine(dir, "a"), 10), new SyncProgress(straight.Add));

        // Run B dies (an exception, no save) after step 6; its last checkpoint is step 4.
        string b = Path.Combine(dir, "b");
        Assert.Throws<InvalidOperationException>(() => SftTrainer.Run(Options(data, b, 10),
            new SyncProgress(r => { if (r.Step == 6) throw new InvalidOperationException("killed"); })));
        Assert.EndsWith("step-000004", new CheckpointStore(b).Latest());
        var resumed = new List<SftStepRecord>();
        SftTrainer.Run(Options(data, b, 10) with { Resume = true }, new SyncProgress(resumed.Add));
        Assert.Equal(Enumerable.Range(5, 6), resumed.Select(r => r.Step));

        var curveA = new MetricsLog(Path.Combine(dir, "a", "metrics.jsonl")).Curves();
        var curveB = new MetricsLog(Path.Combine(b, "metrics.jsonl")).Curves();
        Assert.Equal(curveA.Train.Select(p => p.Step), curveB.Train.Select(p => p.Step));
        double diff = curveA.Train.Zip(curveB.Train).Max(p => Math.Abs(p.First.Loss - p.Second.Loss));
        diff = Math.Max(diff, curveA.Val.Zip(curveB.Val).Max(p => Math.Abs(p.First.Loss - p.Second.Loss)));
        output.WriteLine($"max |loss(resumed) - loss(straight)| = {diff:E2} over {curveA.Train.Count} steps and {curveA.Val.Count} evaluations");
        Assert.Equal(curveA.Val.Count, curveB.Val.Count);
        Assert.True(diff < 1e-4, $"resumed curve differs by {diff}");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Checkpoint_holds_every_file_and_a_crash_mid_save_leaves_the_previous_latest()
    {
        string dir = TestTraces.TempDirectory();
        string data = TestTraces.Write(dir, problems: 4, seed: 3);
        string run = Path.Combine(dir, "run");
        var result = SftTrainer.Run(Options(data, run, 4) with { ValFraction = 0 });
        var store = new CheckpointStore(run);
        string latest = store.Latest()!;
        Assert.Equal(result.Checkpoint, latest);
        foreach (var f in new[] { "model.safetensors", "config.json", "apr-tokenizer.json", "optimizer.safetensors", "state.json" })
            Assert.True(File.Exists(Path.Combine(latest, f)), $"missing {f}");
        Assert.Equal(4, JsonNode.Parse(File.ReadAllText(Path.Combine(latest, "state.json")))!["step"]!.GetValue<int>());

        // A save that died half-way: a temporary directory with some files, `latest` untouched.
        string partial = Path.Combine(store.Root, ".step-000008.tmp-999");
        Directory.CreateDirectory(partial);
        File.WriteAllBytes(Path.Combine(partial, "model.safetensors"), [1, 2, 3]);
        Assert.Equal(latest, store.Latest());
        using var model = ModelFiles.Load(CheckpointStore.ResolveModelDirectory(run));
        Assert.Equal("tiny", model.Config.HiddenSize == 32 ? "tiny" : "other");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Bf16_run_learns_and_saves_float32_weights()
    {
        string dir = TestTraces.TempDirectory();
        string data = TestTraces.Write(dir, problems: 6, seed: 4);
        var records = new List<SftStepRecord>();
        var result = SftTrainer.Run(Options(data, Path.Combine(dir, "run"), 30) with { ValFraction = 0, GradAccumulation = 1, PeakLr = 1e-2, Bf16 = true },
            new SyncProgress(records.Add));
        output.WriteLine($"bf16 loss {records[0].Loss:F3} -> {records[^1].Loss:F3}");
        Assert.True(records[^1].Loss < 0.6 * records[0].Loss, $"loss fell only from {records[0].Loss:F3} to {records[^1].Loss:F3}");
        var weights = SafeTensors.Read(Path.Combine(result.Checkpoint, "model.safetensors"));
        Assert.All(weights.Values, t => Assert.Equal(TorchSharp.torch.ScalarType.Float32, t.dtype));
        foreach (var t in weights.Values) t.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private sealed class SyncProgress(Action<SftStepRecord> report) : IProgress<SftStepRecord>
    {
        public void Report(SftStepRecord value) => report(value);
    }
}
