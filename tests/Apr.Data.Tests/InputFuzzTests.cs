// Input fuzzing (issue 16) of the data readers with CsCheck: damaged copies of real lines (the reference
// traces, ours, problems) either parse or fail with a DataException that names file:line; never another
// exception type, a hang or a crash. A failing case shrinks and prints its seed.
using Apr.Testing;
using CsCheck;

namespace Apr.Data.Tests;

public sealed class InputFuzzTests
{
    private static string[] Lines(string file) => [.. File.ReadLines(Path.Combine(TestPaths.ReferenceSamples, file)).Where(l => l.Length > 0).Take(20)];

    private static void OnlyDataExceptions(Action parse, string input)
    {
        try { parse(); }
        catch (DataException e) { Assert.Contains("x.jsonl:7", e.Message); }
        catch (Exception e) { Assert.Fail($"{e.GetType().Name}: {e.Message}\ninput: {input}"); }
    }

    [Fact]
    public void Damaged_trace_lines_parse_or_fail_with_a_data_error() =>
        Mutations.Of([.. Lines("apr.jsonl"), .. Lines("sosp.jsonl")]).Fuzz(line =>
            OnlyDataExceptions(() => TraceFile.ParseLine(line, "x.jsonl:7", "line-7"), line), iter: Mutations.Iterations);

    [Fact]
    public void Damaged_problem_lines_parse_or_fail_with_a_data_error() =>
        Mutations.Of(Lines("problems.jsonl")).Fuzz(line =>
            OnlyDataExceptions(() => JsonLines.ParseObject(line, "x.jsonl:7", "line-7", ProblemFile.FromElement), line), iter: Mutations.Iterations);

    [Fact]
    public void A_check_that_hangs_on_an_input_fails_the_property_instead_of_hanging_it()
    {
        var e = Assert.ThrowsAny<Exception>(() => Gen.Int[0, 9].Fuzz(i => { if (i == 7) Thread.Sleep(TimeSpan.FromSeconds(30)); }, iter: 200, threads: 1, limit: TimeSpan.FromMilliseconds(200)));
        Assert.Contains("(a hang?)", e.ToString());
    }
}
