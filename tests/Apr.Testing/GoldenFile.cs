// GoldenFile: compares text that people read (help, solve output, records, reports) with a file under the
// calling test's Golden/ folder. On a mismatch the failure shows a line diff (- golden, + actual) with
// the line numbers, and the actual text is written beside the test output for a closer look.
//
// To accept a deliberate change, rerun the tests with APR_UPDATE_GOLDEN=1: each golden check then
// rewrites its file in the source tree (and passes); review the change with `git diff` and commit it.
//   APR_UPDATE_GOLDEN=1 dotnet test tests/Apr.Cli.Tests --filter "FullyQualifiedName~Golden"
using System.Runtime.CompilerServices;
using System.Text;

namespace Apr.Testing;

public static class GoldenFile
{
    /// <summary>True when the tests should rewrite golden files instead of comparing (APR_UPDATE_GOLDEN=1).</summary>
    public static bool Updating => Environment.GetEnvironmentVariable("APR_UPDATE_GOLDEN") == "1";

    /// <summary>The path of <paramref name="name"/> in the Golden/ folder beside the calling test's source file.</summary>
    public static string PathOf(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);

    /// <summary>Fails with a line diff unless <paramref name="actual"/> equals the golden file (rewrites it when updating).</summary>
    public static void Check(string name, string actual, [CallerFilePath] string source = "")
    {
        actual = actual.ReplaceLineEndings("\n");
        var path = PathOf(name, source);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        if (!File.Exists(path)) Xunit.Assert.Fail($"golden file {path} is missing; create it with APR_UPDATE_GOLDEN=1 dotnet test ...");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual) return;
        var saved = Path.Combine(Path.GetTempPath(), "apr-golden-actual", name);
        Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
        File.WriteAllText(saved, actual);
        Xunit.Assert.Fail(
            $"output differs from the golden file {path} (- golden, + actual; actual saved to {saved}):\n" +
            Diff(expected.Split('\n'), actual.Split('\n')) +
            "If the change is intended: APR_UPDATE_GOLDEN=1 dotnet test ... rewrites the golden files; review with git diff.");
    }

    /// <summary>A line diff (longest common subsequence) with 2 lines of context, at most 60 lines shown.</summary>
    public static string Diff(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var ops = new List<(char Op, int Line, string Text)>(); // ' ' same, '-' golden only, '+' actual only (line numbers of the file each comes from)
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { ops.Add((' ', x + 1, a[x])); x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { ops.Add(('-', x + 1, a[x])); x++; }
            else { ops.Add(('+', y + 1, b[y])); y++; }
        }
        var sb = new StringBuilder();
        int shown = 0, lastShown = -1;
        for (var k = 0; k < ops.Count && shown < 60; k++)
        {
            var near = Enumerable.Range(Math.Max(0, k - 2), Math.Min(ops.Count, k + 3) - Math.Max(0, k - 2)).Any(n => ops[n].Op != ' ');
            if (!near) continue;
            if (lastShown >= 0 && k > lastShown + 1) sb.Append("  ...\n");
            var (op, line, text) = ops[k];
            sb.Append(op).Append(' ').Append(line.ToString().PadLeft(4)).Append(" | ").Append(text).Append('\n');
            lastShown = k;
            shown++;
        }
        if (shown == 60) sb.Append("  ... (diff cut at 60 lines)\n");
        return sb.ToString();
    }
}
