// RunLock: one apr process at a time in a run or model directory. `<dir>/.lock` holds its owner (pid, the
// process's start time, host, command) as one JSON line; it is created atomically (create-new fails if it
// exists) and removed on Dispose. A lock whose process has ended, or whose pid now belongs to a process
// started at another time, is stale (a kill -9 leaves one) and is taken over; a live one makes Acquire
// fail at once with a message naming the holder. Advisory: it keeps apr from racing apr (train, rl,
// export), not other programs; a lock from another host is always treated as live.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Apr.Training;

/// <summary>A held directory lock; dispose to release it.</summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly string _content;
    private bool _released;

    private RunLock(string path, string content, string? tookOver)
    {
        FilePath = path;
        _content = content;
        TookOverFrom = tookOver;
    }

    /// <summary>The lock file.</summary>
    public string FilePath { get; }

    /// <summary>The stale owner this lock replaced (e.g. "pid 123, apr train"), or null.</summary>
    public string? TookOverFrom { get; }

    /// <summary>Takes <c>directory/.lock</c> for <paramref name="command"/> (creating the directory), or throws <see cref="RunLockedException"/>.</summary>
    public static RunLock Acquire(string directory, string command)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var content = Owner.Current(command).ToJson();
        string? tookOver = null;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            if (TryCreate(path, content)) return new RunLock(path, content, tookOver);
            var text = TryRead(path);
            if (text is null) continue; // released meanwhile: try again
            var holder = Owner.Parse(text);
            if (holder is null && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < TimeSpan.FromSeconds(10))
                throw new RunLockedException($"{directory} is in use by another apr process (its lock {path} is being written): wait for it to end");
            if (holder is not null && holder.IsAlive())
                throw new RunLockedException($"{directory} is in use by {holder.Describe()}: wait for it to end or stop it (a lock whose process has ended is taken over)");
            if (TakeOver(path, text)) tookOver = holder?.Describe() ?? "an unreadable lock";
        }
        throw new RunLockedException($"{directory}: could not take its lock {path}: other apr processes keep taking it");
    }

    public void Dispose()
    {
        if (_released) return;
        _released = true;
        try
        {
            if (TryRead(FilePath) == _content) File.Delete(FilePath);
        }
        catch (IOException) { /* best effort: a stale lock is taken over by the next run */ }
    }

    private static bool TryCreate(string path, string content)
    {
        try
        {
            using var s = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            s.Write(System.Text.Encoding.UTF8.GetBytes(content));
            s.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path)) { return false; }
    }

    private static string? TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (FileNotFoundException) { return null; }
    }

    /// <summary>Moves the stale lock aside and deletes it if it is still the one judged stale; else puts it back.</summary>
    private static bool TakeOver(string path, string staleText)
    {
        var aside = $"{path}.stale-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try { File.Move(path, aside); }
        catch (FileNotFoundException) { return false; }
        if (File.ReadAllText(aside) == staleText)
        {
            File.Delete(aside);
            return true;
        }
        try { File.Move(aside, path); } // a live lock taken in between: give it back
        catch (IOException) { File.Delete(aside); }
        return false;
    }

    /// <summary>Who holds a lock.</summary>
    private sealed record Owner(int Pid, long StartedTicks, string Host, string Command)
    {
        private RunLockOwner Data => new(Pid, StartedTicks, Host, Command);

        public static Owner Current(string command)
        {
            using var me = Process.GetCurrentProcess();
            return new Owner(Environment.ProcessId, me.StartTime.ToUniversalTime().Ticks, Environment.MachineName, command);
        }

        public string ToJson() => JsonSerializer.Serialize(Data, TrainingJson.Compact.RunLockOwner) + "\n";

        public static Owner? Parse(string text)
        {
            try
            {
                var o = JsonSerializer.Deserialize(text, TrainingJson.Compact.RunLockOwner);
                if (o?.Pid is not { } pid || o.StartedTicks is not { } ticks) return null;
                return new Owner(pid, ticks, o.Host ?? "", o.Command ?? "apr");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return null; }
        }

        /// <summary>True while the process that took the lock runs (same pid and start time; any process on another host).</summary>
        public bool IsAlive()
        {
            if (Host != Environment.MachineName) return true;
            try
            {
                using var p = Process.GetProcessById(Pid);
                if (p.HasExited) return false;
                return Math.Abs(p.StartTime.ToUniversalTime().Ticks - StartedTicks) < TimeSpan.TicksPerSecond;
            }
            catch (ArgumentException) { return false; }          // no such process
            catch (InvalidOperationException) { return false; }  // it exited meanwhile
            catch (Exception) { return true; }                  // cannot tell: assume it runs
        }

        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{Command} (pid {Pid}{(Pid == Environment.ProcessId ? ", this process" : "")}, started {new DateTime(StartedTicks, DateTimeKind.Utc):yyyy-MM-dd HH:mm:ss} UTC{(Host == Environment.MachineName ? "" : " on " + Host)})");
    }
}

/// <summary>The directory is locked by a live apr process.</summary>
public sealed class RunLockedException(string message) : IOException(message);
