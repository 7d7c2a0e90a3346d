// Shared inputs for the engine tests: reference APR trees, random problems, tokenizer.
using Apr.Countdown;
using Apr.Data;
using Apr.Testing;
using Apr.Tokenization;

namespace Apr.Inference.Tests;

internal static class TestData
{
    public static TraceTokenizer Tokenizer => TraceTokenizer.Default;

    private static readonly Lazy<List<TraceRecord>> Apr = new(() => TraceFile.Read(Path.Combine(TestPaths.ReferenceSamples, "apr.jsonl")).ToList());

    /// <summary>The reference APR trace trees (50 problems).</summary>
    public static List<TraceRecord> ReferenceApr => Apr.Value;

    private static readonly Lazy<List<CountdownProblem>> ProblemsLazy = new(() => ProblemFile.Read(Path.Combine(TestPaths.ReferenceSamples, "problems.jsonl")));

    public static List<CountdownProblem> Problems => ProblemsLazy.Value;
}
