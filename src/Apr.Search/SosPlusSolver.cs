// SosPlusSolver: the SoS+ demonstration solver (reference section 3; the reference's sosp/_search).
//
// Per problem: beam uniform in [BeamMin, BeamMax] (the first draw of the problem's Rng), then the
// hybrid beam search of SosPlusRun. The trace is one call of thread "0": the prompt is the root's
// Current State line, the completion the rest. Departures from the reference: our Rng instead of
// Python's random (same seed, same bytes, any thread count); heap ties broken by insertion order.
// Thread-safe: each worker thread gets its own reusable buffers. It does not verify answers (the
// Verifier does; tests check every answer with it).
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search;

public sealed class SosPlusSolver
{
    [ThreadStatic] private static SosPlusRun? t_run;

    public SosPlusOptions Options { get; }

    public SosPlusSolver(SosPlusOptions? options = null)
    {
        Options = (options ?? SosPlusOptions.Paper).Validate();
    }

    /// <summary>Solves <paramref name="problem"/> with randomness from <c>new Rng(seed)</c>.</summary>
    public SosPlusResult Solve(CountdownProblem problem, ulong seed)
    {
        var rng = new Rng(seed);
        return Solve(problem, ref rng);
    }

    /// <summary>Solves item <paramref name="index"/> of a run: randomness from <c>Rng.ForItem(runSeed, index)</c>.</summary>
    public SosPlusResult Solve(CountdownProblem problem, ulong runSeed, long index)
    {
        var rng = Rng.ForItem(runSeed, (ulong)index);
        return Solve(problem, ref rng);
    }

    /// <summary>Solves <paramref name="problem"/> drawing from <paramref name="rng"/> (advanced past what was used).</summary>
    public SosPlusResult Solve(CountdownProblem problem, ref Rng rng)
    {
        SolverInput.Check(problem, Options.Heuristic);
        var h = HeuristicTable.For(Options.Heuristic, problem.Target);
        var beam = rng.NextInt(Options.BeamMin, Options.BeamMax);
        var run = t_run ??= new SosPlusRun();
        var (prompt, completion, goal) = run.Run(problem, h, beam, Options.DiveProbability, ref rng);
        var trace = new TraceTree(SearchMethod.SosPlus, [new ThreadCall("0", null, prompt, completion)]);
        return goal >= 0
            ? new SosPlusResult(trace, true, run.Answer(goal), beam)
            : new SosPlusResult(trace, false, [], beam);
    }
}
