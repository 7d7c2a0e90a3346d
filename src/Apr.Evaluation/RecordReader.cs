// RecordReader: reads a finished condition's records/<name>.jsonl back (apr eval --resume) as the
// ProblemRecords it wrote (ProblemRecordReader; every policy writes that one schema) and the samples
// scored from them. A file with the wrong number of samples, another method's records, or a line that
// is not such a record means the condition is run again, never half-read.
using System.Text.Json;
using Apr.Inference;

namespace Apr.Evaluation;

public static class RecordReader
{
    /// <summary>The condition's result read from <paramref name="path"/>, or null when the file is missing, short or malformed.</summary>
    public static ConditionResult? TryRead(string path, EvalCondition condition, int expectedSamples)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (!File.Exists(path)) return null;
        var records = new List<ProblemRecord>();
        try
        {
            foreach (var line in File.ReadLines(path))
                if (line.Length > 0) records.Add(ProblemRecordReader.Parse(line));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return null;
        }
        if (records.Count != expectedSamples || records.Any(r => r.Method != condition.Method)) return null;
        return new ConditionResult(condition, records.Select(EvalSample.From).ToList(), records, 0);
    }
}
