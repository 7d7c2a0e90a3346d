// RuntimeThread and ProblemRun: the runtime's bookkeeping for one thread of a problem's tree and for
// one problem in flight. Internal mutable state, driven by AprRuntime.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference;

internal sealed class RuntimeThread(ProblemRun problem, string id, RuntimeThread? parent, int level, string nodeId, GrammarSettings settings)
{
    public ProblemRun Problem { get; } = problem;
    public string Id { get; } = id;
    public RuntimeThread? Parent { get; } = parent;
    public int Level { get; } = level;
    public string NodeId { get; } = nodeId;
    public GrammarSettings Settings { get; } = settings;
    public int Calls { get; set; }
    public CallSequence? Current { get; set; }
    public string CurrentPrompt { get; set; } = "";
    public int CurrentShared { get; set; }
    public bool CurrentRecorded { get; set; }
    public int[] LastIds { get; set; } = []; // previous call's prompt + completion ids (for the shared prefix)
    public ThreadGrammar? Grammar { get; set; } // the live grammar across calls (guided)
    public SpawnRequest? Spawn { get; set; }
    public RuntimeThread[] Children { get; set; } = [];
    public ChildResult?[] Results { get; set; } = [];
    public int ChildrenEver { get; set; }
    public int SpawnIndex { get; set; } // this thread's index in its parent's current spawn
    public bool Ended { get; set; }
    public ThreadOutcome LastOutcome { get; set; }
    public IReadOnlyList<Operation>? Answer { get; set; }
    public string? Recap { get; set; }
    public SeenStates? Seen { get; set; } // what it knows was searched (ValueGuide.Revisit below 1 only)
}

internal sealed class ProblemRun(SolveItem item, int index, long tokenLimit)
{
    /// <summary>The problem's token budget, shared by every call of its tree (see TokenAllowance).</summary>
    public TokenAllowance Allowance { get; } = new(tokenLimit);
    public SolveItem Item { get; } = item;
    public int Index { get; } = index;

    /// <summary>The problem as one string (id, target, numbers): a remote engine sends all its calls to one server.</summary>
    public string Affinity { get; } = $"{item.Problem.Id}|{item.Problem.Target}|{string.Join(',', item.Problem.Nums)}";
    public RuntimeThread? Root { get; set; }
    public List<ThreadCallRecord> Records { get; } = [];
    public HashSet<RuntimeThread> Live { get; } = [];
    public int Spawns { get; set; } // for the spawn guard; the record's figures come from its calls (CallCost)
    public double StartMs { get; set; } = -1;
    public long StartStep { get; set; } = -1;
    public bool Done { get; set; }
    public ThreadOutcome? StoppedBy { get; set; }
}
