// RecordFiles: reads the JSONL files `apr view` is given: each non-blank line one record of `apr eval`
// (records/*.jsonl) or of `apr solve --json` (one record, or with --samples an object whose "records" holds
// them). Records are untrusted input: a line that is not one is a DataException naming the file, the line
// and the field, never a half-read file. The condition of a record is its file's name without .jsonl.
using System.Text.Json;
using Apr.Data;
using Apr.Inference;

namespace Apr.Viewing;

public static class RecordFiles
{
    /// <summary>Every record of <paramref name="path"/>, with its condition (the file's name).</summary>
    public static IReadOnlyList<(ProblemRecord Record, string Condition)> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataException($"records file '{path}' does not exist");
        var condition = Path.GetFileNameWithoutExtension(path);
        var records = new List<(ProblemRecord, string)>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("records", out var many) && many.ValueKind == JsonValueKind.Array)
                    records.AddRange(many.EnumerateArray().Select(r => (ProblemRecordReader.Parse(r.GetRawText()), condition)));
                else
                    records.Add((ProblemRecordReader.Parse(line), condition));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new DataException($"{path}:{lineNo}: not a record of apr eval or apr solve --json: {e.Message.Split('\n')[0]}");
            }
        }
        if (records.Count == 0) throw new DataException($"records file '{path}' holds no records");
        return records;
    }
}
