// JsonLines: the reading side shared by every JSONL file apr reads: one object a line, blank lines
// skipped, and every error prefixed with "file:line".
//
// Problems, traces and run records are read and written by hand (JsonElement, Utf8JsonWriter), not by
// generated serializers as the run's other files are (TrainingJson, RlJson, EvalJson, ManifestJson):
// these are the files other tools write too, so reading accepts their field names and types (the
// reference's traces, an id as string or number, extra fields) and names the line and the field in
// every error, and a malformed step in a trace's answer is a failed record for `data validate`, not a
// read error. Each writer has a round-trip test against its reader (ProblemFileTests,
// GeneratedTraceTests, ReferenceAndMarkingTests, ProblemRecordReaderTests).
using System.Text.Json;

namespace Apr.Data;

public static class JsonLines
{
    /// <summary>Streams <paramref name="parse"/>(object, "path:line", "line-N") over the non-blank lines of <paramref name="path"/>; the first bad line throws.</summary>
    public static IEnumerable<T> Read<T>(string path, string what, Func<JsonElement, string, string, T> parse) =>
        ReadEach(path, what, parse).Select(line => line.Error is null ? line.Value! : throw new DataException(line.Error));

    /// <summary>
    /// Like <see cref="Read"/>, but a line that does not parse is reported (its "file:line: why" in
    /// <c>Error</c>) and the reading goes on, so a checker can list every bad line rather than the first.
    /// </summary>
    public static IEnumerable<(T? Value, string? Error)> ReadEach<T>(string path, string what, Func<JsonElement, string, string, T> parse)
    {
        if (!File.Exists(path)) throw new DataException($"{what} file '{path}' does not exist");
        return IterateEach(path, parse);
    }

    private static IEnumerable<(T? Value, string? Error)> IterateEach<T>(string path, Func<JsonElement, string, string, T> parse)
    {
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            (T? Value, string? Error) item;
            try { item = (ParseObject(line, $"{path}:{lineNo}", $"line-{lineNo}", parse), null); }
            catch (DataException e) { item = (default, e.Message); }
            yield return item;
        }
    }

    /// <summary>
    /// The non-blank lines of <paramref name="path"/> for a progress bar, or null when the file cannot be
    /// read twice (a pipe such as /dev/stdin: counting would consume what the reader needs).
    /// </summary>
    public static long? CountLines(string path)
    {
        using (var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None))
            if (!probe.CanSeek) return null;
        return File.ReadLines(path).LongCount(l => !string.IsNullOrWhiteSpace(l));
    }

    /// <summary>Parses one line that must hold a JSON object and hands it to <paramref name="parse"/>.</summary>
    public static T ParseObject<T>(string json, string where, string defaultId, Func<JsonElement, string, string, T> parse)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new DataException($"{where}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new DataException($"{where}: expected a JSON object, found {root.ValueKind}");
            return parse(root, where, defaultId);
        }
    }
}
