// GuardOptions: the runtime's limits against runaway spawning and runaway threads (reference section 9
// and 10). Each has a defined outcome recorded on the thread it stops (see ThreadOutcome).
namespace Apr.Inference;

/// <summary>
/// <see cref="MaxChildrenPerSpawn"/>: guided decoding offers no more; an unguided spawn naming more ends
/// the thread as ChildLimit. <see cref="MaxSpawnsPerProblem"/>: a spawn beyond it ends the thread as
/// SpawnLimit (guided resumed calls are then offered no spawn at all). <see cref="MaxDepth"/>: threads at
/// this level may not spawn (paper: 1). <see cref="ContextPerThread"/>: a call whose prompt + completion
/// would pass it ends as ContextLimit (failed; its parent is told). <see cref="MaxTotalTokensPerProblem"/>
/// and <see cref="MaxWallMsPerProblem"/>: every live thread of the problem is stopped (TokenLimit,
/// TimeLimit) and the problem ends unsolved.
/// </summary>
public sealed record GuardOptions(
    int MaxChildrenPerSpawn = 10,
    int MaxSpawnsPerProblem = 32,
    int MaxDepth = 1,
    int ContextPerThread = InferenceDefaults.ContextPerThread,
    long MaxTotalTokensPerProblem = 250_000,
    double MaxWallMsPerProblem = 600_000)
{
    public static GuardOptions Default { get; } = new();

    public GuardOptions Validate()
    {
        if (MaxChildrenPerSpawn < 1) throw new ArgumentOutOfRangeException(nameof(MaxChildrenPerSpawn), MaxChildrenPerSpawn, "must be at least 1");
        if (MaxSpawnsPerProblem < 0) throw new ArgumentOutOfRangeException(nameof(MaxSpawnsPerProblem), MaxSpawnsPerProblem, "must be >= 0");
        if (MaxDepth < 0) throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "must be >= 0");
        if (ContextPerThread < 16) throw new ArgumentOutOfRangeException(nameof(ContextPerThread), ContextPerThread, "must be at least 16 tokens");
        if (MaxTotalTokensPerProblem < 1) throw new ArgumentOutOfRangeException(nameof(MaxTotalTokensPerProblem), MaxTotalTokensPerProblem, "must be positive");
        if (!(MaxWallMsPerProblem > 0)) throw new ArgumentOutOfRangeException(nameof(MaxWallMsPerProblem), MaxWallMsPerProblem, "must be positive");
        return this;
    }
}
