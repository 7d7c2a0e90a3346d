// Our AdamW against torch.optim.AdamW on the float32 path: the same starting weights, learning rates and
// gradients, step by step, from Golden/adamw-torch.json (written once by
// bench/Apr.Bench.Training/torch_adamw_reference.py with Debian's python3-torch; see its header to
// regenerate). Weights and both moments must agree after every step; the max difference is printed.
// The bfloat16 master-weight path is not compared here (torch's AdamW has no master weights).
using System.Text.Json;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Apr.Training.Tests;

public sealed class AdamWTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6; // float32 rounding of the same formula written in another order

    [Fact]
    public void Float32_steps_match_torch_optim_adamw_weights_and_moments()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "adamw-torch.json")));
        var root = doc.RootElement;
        var shapes = root.GetProperty("shapes").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(d => d.GetInt64()).ToArray());
        var parameters = shapes.Select(kv => (Name: kv.Key, Param: new Parameter(Tensor(root.GetProperty("initial").GetProperty(kv.Key), kv.Value)))).ToArray();
        using var optimizer = new AdamW(parameters, root.GetProperty("beta1").GetDouble(), root.GetProperty("beta2").GetDouble(),
            root.GetProperty("eps").GetDouble(), root.GetProperty("weight_decay").GetDouble());

        double worst = 0;
        int step = 0;
        foreach (var expected in root.GetProperty("steps").EnumerateArray())
        {
            step++;
            optimizer.ZeroGrad();
            foreach (var (name, p) in parameters)
            {
                // d/dp sum(p * g) is exactly g, so backward sets the reference gradient bit for bit.
                using var g = Tensor(expected.GetProperty("grads").GetProperty(name), shapes[name]);
                using var loss = (p * g).sum();
                loss.backward();
            }
            optimizer.Step(expected.GetProperty("lr").GetDouble());
            var state = optimizer.State().ToDictionary(kv => kv.Key, kv => kv.Value);
            foreach (var (name, p) in parameters)
            {
                worst = Math.Max(worst, Compare($"step {step} {name}", expected.GetProperty("params").GetProperty(name), p));
                worst = Math.Max(worst, Compare($"step {step} exp_avg.{name}", expected.GetProperty("exp_avg").GetProperty(name), state["exp_avg." + name]));
                worst = Math.Max(worst, Compare($"step {step} exp_avg_sq.{name}", expected.GetProperty("exp_avg_sq").GetProperty(name), state["exp_avg_sq." + name]));
            }
        }
        output.WriteLine($"{step} steps, max |ours - torch| = {worst:E2}");
        Assert.Equal(7, step);
    }

    private static Tensor Tensor(JsonElement values, long[] shape) =>
        tensor(values.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).reshape(shape);

    private static double Compare(string what, JsonElement expected, Tensor actual)
    {
        var want = expected.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        var got = actual.detach().reshape(-1).data<float>().ToArray();
        Assert.Equal(want.Length, got.Length);
        double diff = want.Zip(got).Max(p => Math.Abs((double)p.First - p.Second));
        Assert.True(diff <= Tolerance, $"{what}: max |ours - torch| = {diff:E2} > {Tolerance:E0}");
        return diff;
    }
}
