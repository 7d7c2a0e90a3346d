// RunDirectoryException: a run directory that cannot be used as asked, as data (why, which directory, what
// it holds) so that a front end can say what to do in its own terms (the CLI names --resume, --force and
// --out); the message says it in the library's terms.
namespace Apr.Training;

/// <summary>Why a run directory was refused.</summary>
public enum RunDirectoryRefusal
{
    /// <summary>It holds a run (checkpoints/ or metrics.jsonl) and the options neither resume it nor start over.</summary>
    ExistingRun,

    /// <summary>Starting over found files apr did not write in a directory it would delete; they are left in place.</summary>
    ForeignFiles,
}

/// <summary>A run directory that cannot be used as asked: an existing run without resume or force, or foreign files.</summary>
public sealed class RunDirectoryException(RunDirectoryRefusal refusal, string directory, string contents)
    : InvalidOperationException(Describe(refusal, directory, contents))
{
    public RunDirectoryRefusal Refusal { get; } = refusal;

    /// <summary>The directory refused: the run directory, or the checkpoint directory holding foreign files.</summary>
    public string Directory { get; } = directory;

    /// <summary>What it holds, as a list for a message: the run's files (ExistingRun) or the foreign files (ForeignFiles).</summary>
    public string Contents { get; } = contents;

    private static string Describe(RunDirectoryRefusal refusal, string directory, string contents) => refusal switch
    {
        RunDirectoryRefusal.ExistingRun =>
            $"{directory} already holds a run ({contents}): resume it, start over (deletes {contents}), or choose another directory",
        _ => $"{directory} holds files apr did not write ({contents}): left in place; move them, or choose another directory",
    };
}
