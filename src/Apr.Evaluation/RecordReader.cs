// RecordReader: reads a finished condition's records/<name>.jsonl back (apr eval --resume), as the
// samples the scoring needs and, for runtime conditions, ProblemRecords carrying the fields pass@k and
// cons@k use (id, sample, answer, verdict, tokens, latency; no calls). A file with the wrong number of
// samples, or a line that is not such a record, means the condition is run again, never half-read.
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
        var samples = new List<EvalSample>();
        var records = new List<ProblemRecord>();
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length == 0) continue;
                using var doc = JsonDocument.Parse(line);
                var o = doc.RootElement;
                Apr.Countdown.Operation[]? answer = o.GetProperty("answer").ValueKind == JsonValueKind.Array ? [.. o.GetProperty("answer").EnumerateArray().Select(a => Apr.Countdown.Operation.Parse(a.GetString()!))] : null;
                double? latency = o.TryGetProperty("latency_ms", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetDouble() : null;
                long? budget = o.TryGetProperty("budget", out var b) && b.ValueKind == JsonValueKind.Number ? b.GetInt64() : null;
                long sampled = o.TryGetProperty("sampled_tokens", out var st) ? st.GetInt64() : 0;
                var sample = new EvalSample(o.GetProperty("id").GetString()!, o.GetProperty("sample").GetInt32(), answer, o.GetProperty("correct").GetBoolean(),
                    o.GetProperty("total_tokens").GetInt64(), sampled, o.GetProperty("sequential_tokens").GetInt64(), latency,
                    o.GetProperty("max_call_tokens").GetInt32(), o.GetProperty("children").GetInt32(), o.GetProperty("spawns").GetInt32(),
                    o.GetProperty("outcome").GetString()!, budget);
                samples.Add(sample);
                if (condition.Policy != EvalPolicy.Symbolic)
                    records.Add(new ProblemRecord(sample.Id, sample.Sample, 0, [], condition.Method, answer, sample.Correct, null, ThreadOutcome.Solved, [],
                        sample.TotalTokens, sample.SampledTokens, sample.SequentialTokens, latency ?? 0, 0, sample.Children, sample.Spawns) { Budget = budget });
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
        if (samples.Count != expectedSamples) return null;
        return new ConditionResult(condition, samples, condition.Policy == EvalPolicy.Symbolic ? null : records, 0);
    }
}
