// Reads the calls of trace JSONL files as training examples, through Apr.Data's TraceFile (so apr's
// format and the Python reference's are both accepted, with the same errors). Every record must pass
// the check `apr data validate` makes (RecordConsistency.Validate): a model is never trained on a trace
// that breaks the protocol or claims an answer it does not have; the first such record stops the run
// with its file, record and reason. Each record is replayed at the depth it says it was written with.
using Apr.Data;

namespace Apr.Training;

/// <summary>Reader of the <c>calls</c> of trace files.</summary>
public static class TraceCalls
{
    /// <summary>Every call of every record of <paramref name="path"/>, in file order; Line is the record's index.</summary>
    public static IEnumerable<SftCall> Read(string path, bool check = true)
    {
        var index = 0;
        foreach (var record in TraceFile.Read(path))
        {
            if (check && RecordConsistency.Validate(record).Failure is { } failure)
                throw new DataException($"{path}: record {index + 1} ({record.Id}) is not a valid trace: {failure} (apr data validate lists every invalid record)");
            foreach (var c in record.Calls)
                yield return new SftCall(path, index, record.Id, record.Method, c, record.Depth);
            index++;
        }
    }
}
