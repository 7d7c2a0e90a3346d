// AprSolver: the APR demonstration solver (reference section 4; the reference's apr/_parallel_search).
//
// Per problem: beam uniform in [BeamMin, BeamMax], then child beam uniform in [beam, ChildBeamMax]
// (the first two draws of the problem's Rng; [ChildBeamMin, ChildBeamMax] when ChildBeamMin is set),
// then the search of AprRun. The result is a TraceTree
// whose calls are in execution order (a spawning call, each child's calls depth first, the resumed
// call, ...), thread ids "0", "0.0", "0.1", ... (children numbered across all of a thread's spawns).
// Departures from the reference: our Rng (same seed, same bytes, any thread count); heap ties broken
// by insertion order; configurable nesting depth and children cap; and by default (Continue) a parent
// whose children all failed goes on searching as the paper describes (End = the reference code).
// Thread-safe: each worker thread gets its own reusable buffers.
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Search;

public sealed class AprSolver
{
    [ThreadStatic] private static AprRun? t_run;

    public AprOptions Options { get; }

    public AprSolver(AprOptions? options = null)
    {
        Options = (options ?? AprOptions.Paper).Validate();
    }

    /// <summary>Solves <paramref name="problem"/> with randomness from <c>new Rng(seed)</c>.</summary>
    public AprResult Solve(CountdownProblem problem, ulong seed)
    {
        var rng = new Rng(seed);
        return Solve(problem, ref rng);
    }

    /// <summary>Solves item <paramref name="index"/> of a run: randomness from <c>Rng.ForItem(runSeed, index)</c>.</summary>
    public AprResult Solve(CountdownProblem problem, ulong runSeed, long index)
    {
        var rng = Rng.ForItem(runSeed, (ulong)index);
        return Solve(problem, ref rng);
    }

    /// <summary>Solves <paramref name="problem"/> drawing from <paramref name="rng"/> (advanced past what was used).</summary>
    public AprResult Solve(CountdownProblem problem, ref Rng rng)
    {
        SolverInput.Check(problem, Options.Heuristic);
        var h = HeuristicTable.For(Options.Heuristic, problem.Target);
        var beam = rng.NextInt(Options.BeamMin, Options.BeamMax);
        var childBeam = rng.NextInt(Options.ChildBeamMin ?? beam, Options.ChildBeamMax);
        var run = t_run ??= new AprRun();
        var (calls, goal) = run.Run(problem, h, Options, beam, childBeam, ref rng);
        var trace = new TraceTree(SearchMethod.Apr, calls);
        return goal >= 0
            ? new AprResult(trace, true, run.Answer(goal), beam, childBeam, run.Spawns, run.Children)
            : new AprResult(trace, false, [], beam, childBeam, run.Spawns, run.Children);
    }
}
