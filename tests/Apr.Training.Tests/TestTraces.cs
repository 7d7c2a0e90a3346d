// Small synthetic trace files in the data format (Countdown-looking text, not verified search), for tests
// of the training loop; they fail the trace check, so those tests set SftOptions.CheckTraces = false.
using System.Text.Json;
using Apr.Core;
using Apr.Countdown;

namespace Apr.Training.Tests;

internal static class TestTraces
{
    /// <summary>Writes <paramref name="problems"/> lines, each with 1-3 calls, to a temp file; returns its path.</summary>
    public static string Write(string directory, int problems, ulong seed)
    {
        string path = Path.Combine(directory, "traces.jsonl");
        using var w = new StreamWriter(path);
        for (int p = 0; p < problems; p++)
        {
            var rng = Rng.ForItem(seed, (ulong)p);
            int target = rng.NextInt(10, 100);
            int[] nums = [rng.NextInt(1, 99), rng.NextInt(1, 99), rng.NextInt(1, 99), rng.NextInt(1, 99)];
            var calls = new List<object>();
            int count = rng.NextInt(1, 3);
            for (int c = 0; c < count; c++)
            {
                string prompt = $"Moving to Node #0\nCurrent State: {target}:[{string.Join(", ", nums)}], Operations: []";
                int a = nums[c], b = nums[c + 1];
                string completion = $"Exploring Operation: {a}+{b}={a + b}, Resulting Numbers: [{nums[(c + 2) % 4]}, {a + b}]\n" +
                                    $"Generated Node #0,{c}: {target}:[{a + b}] Operation: {a}+{b}={a + b}\n" +
                                    $"{a + b},{target} unequal: No Solution\nNo solution found.";
                calls.Add(new { thread = c.ToString(System.Globalization.CultureInfo.InvariantCulture), parent = c == 0 ? null : "0", prompt, completion });
            }
            w.WriteLine(JsonSerializer.Serialize(new { id = $"p{p}", target, nums, method = "apr", solved = false, calls }));
        }
        return path;
    }

    public static string TempDirectory() => Directory.CreateTempSubdirectory("apr-train-").FullName;
}
