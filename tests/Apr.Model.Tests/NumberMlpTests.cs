// NumberMlp: how a state is read (the target first, then the numbers sorted; each number's residues, exact value and
// magnitude as rows of one table), that the order a state lists its numbers in does not change its logit, that a
// config round-trips through JSON and a bad one is refused naming the field, and that weights round-trip through
// safetensors.
using Apr.Model;
using static TorchSharp.torch;

namespace Apr.Model.Tests;

public sealed class NumberMlpTests
{
    private static readonly NumberMlpConfig Small = new([2, 3], 10, 4, 3, 8, 16, 2);

    [Fact]
    public void A_state_is_the_target_then_its_numbers_sorted_each_as_residues_exact_value_and_magnitude()
    {
        // Rows: mod 2 at 0..1, mod 3 at 2..4, exact 0..10 at 5..15, magnitude bins 0..3 at 16..19.
        Assert.Equal(20, Small.FeatureRows);
        var rows = new long[Small.Slots * Small.FeaturesPerNumber];
        var mask = new float[Small.Slots];
        NumberMlp.Encode(Small, 7, [12, 0], rows, mask);
        long[] target = [0 + 1, 2 + 1, 5 + 7, 16 + 3];     // 7: odd, 7 mod 3 = 1, exact 7, floor(log2 8) = 3
        long[] zero = [0 + 0, 2 + 0, 5 + 0, 16 + 0];
        long[] twelve = [0 + 0, 2 + 0, 5 + 10, 16 + 3];   // exact values above 10 share slot 10; magnitude capped at 3
        Assert.Equal([.. target, .. zero, .. twelve, 0, 0, 0, 0], rows);
        Assert.Equal([1f, 1f, 1f, 0f], mask);
        Assert.Throws<ArgumentException>(() => NumberMlp.Encode(Small, 7, [1, 2, 3, 4], rows, mask));
        Assert.Throws<ArgumentException>(() => NumberMlp.Encode(Small, 7, [-1, 2], rows, mask));
    }

    [Fact]
    public void The_order_of_a_states_numbers_does_not_change_its_logit_and_weights_round_trip()
    {
        TorchSetup.Seed(3);
        using var net = new NumberMlp(Small);
        using var logits = net.Logits(7, [[3, 1, 2], [2, 3, 1], [5, 5]]);
        var v = logits.data<float>().ToArray();
        Assert.Equal(v[0], v[1]);
        Assert.NotEqual(v[0], v[2]);
        var dir = Directory.CreateTempSubdirectory("apr-mlp-").FullName;
        try
        {
            var path = Path.Combine(dir, ModelFiles.WeightsFile);
            ModelFiles.SaveWeights(net, path);
            using var copy = new NumberMlp(Small);
            ModelFiles.LoadWeights(copy, path);
            using var again = copy.Logits(7, [[3, 1, 2], [2, 3, 1], [5, 5]]);
            Assert.Equal(v, again.data<float>().ToArray());
            using var wider = new NumberMlp(Small with { Hidden = 17 });
            Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => ModelFiles.LoadWeights(wider, path)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_config_round_trips_and_a_bad_one_is_refused_naming_the_field()
    {
        var back = NumberMlpConfig.FromJson(NumberMlpConfig.Default.ToJson());
        Assert.Equal(NumberMlpConfig.Default.Moduli, back.Moduli);
        Assert.Equal(NumberMlpConfig.Default with { Moduli = back.Moduli }, back);
        Assert.Contains("\"max_numbers\": 4", NumberMlpConfig.Default.ToJson());
        Assert.Contains("hidden must be in 1..8192, got 0",
            Assert.Throws<InvalidDataException>(() => NumberMlpConfig.FromJson(NumberMlpConfig.Default.ToJson().Replace("\"hidden\": 512", "\"hidden\": 0"))).Message);
        Assert.Contains("each modulus must be in 2..1024, got 1",
            Assert.Throws<InvalidDataException>(() => NumberMlpConfig.FromJson("""{"moduli": [1], "exact": 4, "log_bins": 4, "max_numbers": 2, "embedding": 4, "hidden": 4, "layers": 1}""")).Message);
        Assert.Contains("moduli is missing", Assert.Throws<InvalidDataException>(() => NumberMlpConfig.FromJson("{}")).Message);
        Assert.Contains("not a number-MLP config", Assert.Throws<InvalidDataException>(() => NumberMlpConfig.FromJson("[")).Message);
    }
}
