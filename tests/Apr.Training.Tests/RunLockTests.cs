// RunLock: one holder at a time, released on Dispose, and stale locks (their process gone, or their pid
// reused by a later process, or a torn file left long ago) taken over; a live one refused at once.
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Apr.Training.Tests;

public sealed class RunLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string LockFile => Path.Combine(_dir, RunLock.FileName);

    [Fact]
    public void A_held_lock_refuses_a_second_holder_naming_the_first_until_it_is_released()
    {
        using (var held = RunLock.Acquire(_dir, "apr train"))
        {
            Assert.Null(held.TookOverFrom);
            var e = Assert.Throws<RunLockedException>(() => RunLock.Acquire(_dir, "apr export"));
            Assert.StartsWith($"{_dir} is in use by apr train (pid {Environment.ProcessId}, this process, started ", e.Message);
            Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(LockFile));
        }
        Assert.False(File.Exists(LockFile));
        using var again = RunLock.Acquire(_dir, "apr rl");
        Assert.True(File.Exists(LockFile));
    }

    [Fact]
    public void A_lock_whose_process_has_ended_is_taken_over()
    {
        // No process has this pid (Linux allows at most 2^22).
        File.WriteAllText(LockFile, new JsonObject { ["pid"] = int.MaxValue - 1, ["started_utc_ticks"] = DateTime.UtcNow.Ticks, ["host"] = Environment.MachineName, ["command"] = "apr train" }.ToJsonString());
        using var taken = RunLock.Acquire(_dir, "apr train");
        Assert.StartsWith($"apr train (pid {int.MaxValue - 1}", taken.TookOverFrom);
        Assert.Contains($"\"pid\":{Environment.ProcessId}", File.ReadAllText(LockFile));
    }

    [Fact]
    public void A_lock_whose_pid_now_belongs_to_a_later_process_is_taken_over()
    {
        using var me = Process.GetCurrentProcess();
        var earlier = me.StartTime.ToUniversalTime().AddHours(-3).Ticks;
        File.WriteAllText(LockFile, new JsonObject { ["pid"] = Environment.ProcessId, ["started_utc_ticks"] = earlier, ["host"] = Environment.MachineName, ["command"] = "apr rl" }.ToJsonString());
        using var taken = RunLock.Acquire(_dir, "apr train");
        Assert.NotNull(taken.TookOverFrom);
    }

    [Fact]
    public void A_torn_lock_is_held_while_fresh_and_taken_over_when_old()
    {
        File.WriteAllText(LockFile, "");
        Assert.Throws<RunLockedException>(() => RunLock.Acquire(_dir, "apr train"));
        File.SetLastWriteTimeUtc(LockFile, DateTime.UtcNow.AddMinutes(-5));
        using var taken = RunLock.Acquire(_dir, "apr train");
        Assert.Equal("an unreadable lock", taken.TookOverFrom);
    }

    [Fact]
    public void A_lock_from_another_host_counts_as_live()
    {
        File.WriteAllText(LockFile, new JsonObject { ["pid"] = int.MaxValue - 1, ["started_utc_ticks"] = 0L, ["host"] = "elsewhere-" + Guid.NewGuid(), ["command"] = "apr train" }.ToJsonString());
        var e = Assert.Throws<RunLockedException>(() => RunLock.Acquire(_dir, "apr train"));
        Assert.Contains(" on elsewhere-", e.Message);
    }
}
