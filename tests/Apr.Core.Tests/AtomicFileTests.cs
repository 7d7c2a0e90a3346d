// AtomicFile: a failed write keeps the old file and leaves no temporary file; a later write removes a killed
// write's temporary file; a write creates its folder; text is UTF-8 without a byte-order mark.
namespace Apr.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary_file()
    {
        var path = Path.Combine(_dir, "out.jsonl");
        AtomicFile.WriteAllText(path, "old\n");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new partial"u8);
            throw new InvalidOperationException("crash mid-write");
        }));
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal(["out.jsonl"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_removes_what_a_killed_write_of_the_same_file_left_and_nothing_else()
    {
        var path = Path.Combine(_dir, "out.jsonl");
        // A process that no longer runs: a child that has exited.
        using var gone = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        string stale = Path.Combine(_dir, $".out.jsonl.{gone.Id}.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(_dir, $".out.jsonl.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"); // this process: maybe writing
        string other = Path.Combine(_dir, $".other.jsonl.{gone.Id}.{Guid.NewGuid():N}.tmp");              // another target's
        foreach (var f in new[] { stale, live, other }) File.WriteAllText(f, "partial");
        AtomicFile.WriteAllText(path, "new\n");
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
        Assert.Equal("new\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_successful_write_replaces_the_file()
    {
        var path = Path.Combine(_dir, "sub", "out.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.Equal("two", File.ReadAllText(path));
    }

    [Fact]
    public void Text_is_written_as_utf8_without_a_byte_order_mark()
    {
        var path = Path.Combine(_dir, "t.json");
        AtomicFile.WriteAllText(path, "{\"a\":\"é<+>\"}\n");
        Assert.Equal("{\"a\":\"é<+>\"}\n"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_relative_path_is_written_in_its_own_folder()
    {
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _dir;
            AtomicFile.WriteAllText("rel.txt", "x");
        }
        finally { Environment.CurrentDirectory = previous; }
        Assert.Equal(["rel.txt"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }
}
