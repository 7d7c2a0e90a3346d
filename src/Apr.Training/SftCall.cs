// One call of a trace tree as a training example: the prompt the thread was given and what it wrote.
using Apr.Protocol;

namespace Apr.Training;

/// <summary>A training call: <paramref name="Line"/> is the 0-based line of its problem in its file.</summary>
public sealed record SftCall(string File, int Line, string ProblemId, SearchMethod Method, string Thread, string Prompt, string Completion);
