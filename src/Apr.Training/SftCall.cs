// One call of a trace tree as a training example: the protocol's ThreadCall (the prompt the thread was
// given and what it wrote) with where it came from, so an error can name the file and line.
using Apr.Protocol;

namespace Apr.Training;

/// <summary>A training call: <paramref name="Line"/> is the 0-based line of its problem in its file; <paramref name="Depth"/> its record's APR nesting depth.</summary>
public sealed record SftCall(string File, int Line, string ProblemId, SearchMethod Method, ThreadCall Call, int Depth = 1)
{
    public string Thread => Call.Thread;
    public string Prompt => Call.Prompt;
    public string Completion => Call.Completion;
}
