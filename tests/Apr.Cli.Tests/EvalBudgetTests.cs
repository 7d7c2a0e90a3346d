// `apr eval --slots`: KV caches that would exceed the memory budget are refused up front, with the figure.
using Apr.Testing;

namespace Apr.Cli.Tests;

[Slow]
public sealed class EvalBudgetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-evalbudget-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string F(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Eval_refuses_slots_whose_kv_cache_exceeds_the_memory_budget_with_the_figure()
    {
        // A tiny model with 2^20 positions: 4,096 slots x 1,000,000 tokens of KV cache is about 2 TB.
        var config = Apr.Model.ModelConfig.Tiny(1300) with { MaxPositionEmbeddings = 1 << 20 };
        using (var model = new Apr.Model.LlamaForCausalLm(config)) Apr.Model.ModelFiles.Save(model, F("m"));
        File.WriteAllText(F("p.jsonl"), "{\"id\":\"a\",\"target\":24,\"nums\":[2,3,4,1]}\n");
        var run = CliRunner.Run("eval", "--problems", F("p.jsonl"), "--model", F("m"), "--method", "apr", "--context", "1000000", "--slots", "4096",
            "--sweep", "greedy", "--out", F("eval"), "--threads", "1");
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrLines);
        Assert.StartsWith("apr: error: a KV cache of 4096 slots x 1000000 tokens needs 1,953.1 GiB, over the memory budget of ", line);
    }
}
