// Absurd sizes are refused before anything is allocated: config.json fields out of range (with the file
// and the field named), a KV cache over the memory budget (with the figures), a bad APR_MEMORY_GB.
namespace Apr.Model.Tests;

public sealed class BoundsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-bounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("\"max_position_embeddings\": 100000000", "max_position_embeddings 100000000 is out of range: it must be 1 to 1,048,576")]
    [InlineData("\"vocab_size\": 0", "vocab_size 0 is out of range")]
    [InlineData("\"hidden_size\": 2000000", "hidden_size 2000000 is out of range: it must be 1 to 65,536")]
    [InlineData("\"vocab_size\": \"x\"", "$.vocab_size")]
    [InlineData("\"rms_norm_eps\": -1", "rms_norm_eps -1 is out of range")]
    public void A_config_file_with_an_absurd_value_is_refused_naming_the_file_and_field(string field, string expected)
    {
        var json = ModelConfig.Tiny(100).ToJson();
        var name = field.Split(':')[0];
        var lines = json.Split('\n').Select(l => l.TrimStart().StartsWith(name, StringComparison.Ordinal) ? "  " + field + (l.TrimEnd().EndsWith(',') ? "," : "") : l);
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, string.Join('\n', lines));
        var e = Assert.Throws<InvalidDataException>(() => ModelConfig.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_shipped_shapes_are_within_the_bounds()
    {
        ModelConfig.Default(1300).Validate();
        ModelConfig.Tiny(1300).Validate();
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, ModelConfig.Default(1300).ToJson());
        Assert.Equal(ModelConfig.Default(1300), ModelConfig.Load(path));
    }

    [Fact]
    public void A_kv_cache_over_the_memory_budget_is_refused_before_allocating()
    {
        // 2 layers x 2 x 2^31 slots x 512 tokens x 32 x 4 bytes = 562 TB: over any machine's budget.
        var e = Assert.Throws<MemoryBudgetException>(() => new KvCache(ModelConfig.Tiny(100), int.MaxValue, 512));
        Assert.StartsWith("a KV cache of 2147483647 slots x 512 tokens needs ", e.Message);
        Assert.Contains("over the memory budget of", e.Message);
        Assert.Equal(2.0 * 2 * 3 * 512 * 32 * 4, KvCache.Bytes(ModelConfig.Tiny(100), 3, 512));
    }

    [Theory]
    [InlineData("6", 6.0 * 1024 * 1024 * 1024)]
    [InlineData("0.5", 0.5 * 1024 * 1024 * 1024)]
    public void APR_MEMORY_GB_sets_the_budget(string setting, double bytes)
    {
        Assert.Equal(bytes, MemoryBudget.FromSetting(setting).Bytes);
        Assert.Contains("APR_MEMORY_GB", MemoryBudget.FromSetting(setting).Source);
        Assert.True(MemoryBudget.FromSetting(null).Bytes > 0);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1")]
    [InlineData("NaN")]
    public void A_bad_APR_MEMORY_GB_is_refused_naming_it(string setting)
    {
        var e = Assert.Throws<MemoryBudgetException>(() => MemoryBudget.FromSetting(setting));
        Assert.Equal($"APR_MEMORY_GB must be a positive number of GiB, got '{setting}'", e.Message);
    }
}
