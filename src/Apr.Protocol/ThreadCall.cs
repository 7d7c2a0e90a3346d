// ThreadCall and TraceTree: what a model sees and writes, one (prompt, completion) pair per call.
//
// An APR demonstration is a tree of threads; each parent call and each child call is one pair.
// Thread ids name the tree: the root is "0", its children "0.0", "0.1", ... numbered consecutively
// across all of that thread's spawns, their children "0.1.0", ... A parent resumed after a join
// keeps its thread id. Calls are listed in execution order: a spawning call, then each child's calls
// (depth first), then the resumed parent's call.
namespace Apr.Protocol;

/// <summary>One call: the prompt the runtime gives a thread and the completion the thread writes.</summary>
public sealed record ThreadCall(string Thread, string? Parent, string Prompt, string Completion)
{
    /// <summary>Prompt followed by completion: the whole text of the thread at the end of this call.</summary>
    public string Text => Prompt + Completion;
}

/// <summary>A whole demonstration (or model run) for one problem: the language it speaks and its calls in execution order.</summary>
public sealed record TraceTree(SearchMethod Method, IReadOnlyList<ThreadCall> Calls)
{
    /// <summary>The child thread id for the <paramref name="k"/>-th child (over all spawns) of <paramref name="thread"/>.</summary>
    public static string ChildThread(string thread, int k) => $"{thread}.{k}";
}
