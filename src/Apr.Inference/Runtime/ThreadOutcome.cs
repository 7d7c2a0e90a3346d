// ThreadOutcome: how one call of a thread ended, as the runtime judged it.
namespace Apr.Inference;

public enum ThreadOutcome
{
    /// <summary>Reached the goal and wrote its recap.</summary>
    Solved,
    /// <summary>Wrote "No solution found." at its top level.</summary>
    NoSolution,
    /// <summary>Ended with a spawn block; the thread continues in a resumed call after the join.</summary>
    Spawned,
    /// <summary>Would have passed GuardOptions.ContextPerThread (or the cache length): failed.</summary>
    ContextLimit,
    /// <summary>Unguided text left the trace language (bad line, bad spawn block, cut-off line): failed.</summary>
    Malformed,
    /// <summary>Unguided text wrote a join block (<c>&lt;Sub Searches&gt;</c>) itself: failed.</summary>
    ForbiddenJoinBlock,
    /// <summary>Unguided: the model ended (EOS) before the thread reached an ending: failed.</summary>
    CutOff,
    /// <summary>A spawn beyond GuardOptions.MaxSpawnsPerProblem: failed.</summary>
    SpawnLimit,
    /// <summary>A spawn naming more than GuardOptions.MaxChildrenPerSpawn children: failed.</summary>
    ChildLimit,
    /// <summary>Stopped because the next token would pass the problem's budget (SolveOptions.Budget, capped by GuardOptions.MaxTotalTokensPerProblem).</summary>
    TokenLimit,
    /// <summary>Stopped because the problem passed GuardOptions.MaxWallMsPerProblem.</summary>
    TimeLimit,
    /// <summary>Stopped by the caller (AprRuntime.Cancel: the server's client went away).</summary>
    Cancelled,
    /// <summary>Stopped because a remote backend failed the problem's call (after retries); the detail names the server and the error.</summary>
    BackendError,
}
