// MemoryBudget: how many bytes one apr process may plan for its big buffers (model weights, KV cache, a
// training micro-batch), and the check that refuses a plan over it before anything is allocated, with
// the figures in the message. Default: half the memory the runtime sees (physical memory, or the
// container's limit); the environment variable APR_MEMORY_GB sets it instead. Estimates checked up
// front, not accounting: it does not track what is actually allocated.
using System.Globalization;

namespace Apr.Model;

public static class MemoryBudget
{
    /// <summary>The environment variable that sets the budget, in GiB (e.g. 6 or 0.5).</summary>
    public const string Variable = "APR_MEMORY_GB";

    private const double GiB = 1024.0 * 1024 * 1024;

    /// <summary>The budget in bytes, and where it comes from (for messages).</summary>
    public static (double Bytes, string Source) Current() => FromSetting(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The budget for a value of <see cref="Variable"/> (null or blank: the machine's default).</summary>
    public static (double Bytes, string Source) FromSetting(string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var gb) || !(gb > 0) || !double.IsFinite(gb))
                throw new MemoryBudgetException($"{Variable} must be a positive number of GiB, got '{text}'");
            return (gb * GiB, $"{Variable}={text}");
        }
        double machine = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return (machine / 2, $"half of this machine's {Format(machine)}; set {Variable} to change it");
    }

    /// <summary>Refuses <paramref name="bytes"/> for <paramref name="what"/> when it exceeds the budget.</summary>
    public static void Check(string what, double bytes)
    {
        var (budget, source) = Current();
        if (bytes > budget)
            throw new MemoryBudgetException($"{what} needs {Format(bytes)}, over the memory budget of {Format(budget)} ({source})");
    }

    /// <summary>Bytes as "512 MiB" or "8.0 GiB".</summary>
    public static string Format(double bytes) => bytes >= GiB
        ? (bytes / GiB).ToString("N1", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (1024 * 1024)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}

/// <summary>A plan (sizes from options or a config file) that would need more memory than <see cref="MemoryBudget"/> allows.</summary>
public sealed class MemoryBudgetException(string message) : Exception(message);
