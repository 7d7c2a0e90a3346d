// Reads the calls of trace JSONL files as training examples, through Apr.Data's TraceFile (so apr's
// format and the Python reference's are both accepted, with the same errors). Does not validate the
// trace grammar: run `apr data validate` for that.
using Apr.Data;

namespace Apr.Training;

/// <summary>Reader of the <c>calls</c> of trace files.</summary>
public static class TraceCalls
{
    /// <summary>Every call of every record of <paramref name="path"/>, in file order; Line is the record's index.</summary>
    public static IEnumerable<SftCall> Read(string path)
    {
        var index = 0;
        foreach (var record in TraceFile.Read(path))
        {
            foreach (var c in record.Calls)
                yield return new SftCall(path, index, record.Id, record.Method, c);
            index++;
        }
    }
}
