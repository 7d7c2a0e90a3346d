// AtomicFile: write a whole file so that a crash or an error never leaves it half-written.
//
// What it guarantees: the content goes to a temporary file in the target's own folder (the same file
// system, so the rename below is atomic), is flushed to disk, and then replaces the target with one
// rename. A reader sees the complete old file or the complete new one, never a mix. If writing throws,
// the temporary file is removed and the old file is untouched. The folder is created if missing.
// What it does not: the folder entry is not flushed, so after a power loss (not a process kill) the
// rename itself may be lost and the old file seen again; two writers of one path are not serialized (the
// last rename wins; callers that share a folder hold a RunLock). A process killed mid-write leaves a
// hidden `.NAME.PID.GUID.tmp` beside the target; the next write of that target removes the ones whose
// process has ended (and Training's RunDirectory removes them from a run).

namespace Apr.Core;

/// <summary>Crash-safe whole-file writes.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temporary file next to <paramref name="path"/>, then renames it into place.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        RemoveStaleTemporaries(dir, Path.GetFileName(full));
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { /* best effort */ }
            throw;
        }
    }

    /// <summary>Deletes the temporary files an earlier, killed write of <paramref name="name"/> left (their PID no longer runs).</summary>
    private static void RemoveStaleTemporaries(string dir, string name)
    {
        foreach (var file in Directory.EnumerateFiles(dir, $".{name}.*.tmp"))
        {
            var parts = Path.GetFileName(file)[(name.Length + 2)..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], out var pid) || pid == Environment.ProcessId || Running(pid)) continue;
            try { File.Delete(file); } catch (IOException) { /* another writer got there first */ }
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark (StreamWriter's default), atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });
}
