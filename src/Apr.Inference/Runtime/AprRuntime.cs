// AprRuntime: the APR loop (reference sections 4 and 6) on the inference engine. Many problems run at
// once; each is a tree of threads. A call that ends in a spawn block starts one child per named node
// (prompts from the protocol library), the children are decoded batched with everything else live,
// and when the last one ends the parent resumes with the join prompt (reusing its cached prefix).
// Guards (GuardOptions) stop runaway trees with a recorded outcome; malformed model text ends its
// thread as failed and the parent is told, never a crash. SoS+ is the same loop with one thread.
// It does not judge correctness itself: the root's recap is checked by the strict Countdown Verifier.
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

public sealed partial class AprRuntime
{
    private static readonly string[] UnguidedStops = [TraceFormat.EndCallingSubSearches + "\n", TraceFormat.SubSearches + "\n"];

    private readonly ICallEngine _engine;
    private readonly TraceTokenizer _tokenizer;
    private readonly SolveOptions _options;
    private readonly GuardOptions _guards;
    private readonly List<ProblemRun> _inflight = [];
    private readonly List<(ProblemRun Run, ProblemRecord Record)> _completed = [];

    /// <summary>A runtime over <paramref name="decoder"/> (the model, or a NullDecoder for the no-model policies).</summary>
    public AprRuntime(IDecoder decoder, TraceTokenizer tokenizer, SolveOptions? options = null)
        : this(NewEngine(decoder, tokenizer, options), tokenizer, options)
    {
    }

    /// <summary>A runtime whose calls <paramref name="engine"/> decodes (in process, or remote servers).</summary>
    public AprRuntime(ICallEngine engine, TraceTokenizer tokenizer, SolveOptions? options = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _options = (options ?? new SolveOptions()).Validate();
        _guards = _options.GuardsOrDefault;
    }

    private static InferenceEngine NewEngine(IDecoder decoder, TraceTokenizer tokenizer, SolveOptions? options)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (decoder.VocabSize < tokenizer.VocabSize)
            throw new ArgumentException($"the decoder's vocabulary ({decoder.VocabSize}) is smaller than the tokenizer's ({tokenizer.VocabSize})");
        return new InferenceEngine(decoder, options?.PrefixReuse ?? true);
    }

    public ICallEngine Engine => _engine;
    public SolveOptions Options => _options;

    /// <summary>Solves every item (concurrently, up to MaxConcurrentProblems in flight); records come back in input order.</summary>
    /// <remarks>The batch form of Start and Step (part 3): admit while there is room, step, collect.</remarks>
    public IReadOnlyList<ProblemRecord> Solve(IReadOnlyList<SolveItem> items, Action<ProblemRecord>? onRecord = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new ProblemRecord?[items.Count];
        int first = _nextTicket, next = 0, limit = ProblemsInFlight;
        while (next < items.Count || _inflight.Count > 0)
        {
            while (_inflight.Count < limit && next < items.Count) Start(items[next++]);
            foreach (var (ticket, record) in Step())
            {
                results[ticket - first] = record;
                onRecord?.Invoke(record);
            }
        }
        return results!;
    }

    /// <summary>One engine step and the guards; call ends of other callers' sequences (Tag not ours) go to <paramref name="foreign"/>. True when anything moved.</summary>
    private bool Advance(List<CallSequence>? foreign)
    {
        bool progressed = _completed.Count > 0;
        if (_engine.HasWork)
        {
            foreach (var seq in _engine.Step())
            {
                if (seq.Tag is RuntimeThread) OnCallEnded(seq);
                else foreign?.Add(seq);
            }
            progressed = true;
        }
        CheckGuards();
        return progressed;
    }

    /// <summary>
    /// Problems admitted at once: SolveOptions.MaxConcurrentProblems, else for SoS+ one per slot, and for
    /// APR only as many as can each hold a parked parent and a full spawn (1 + MaxChildrenPerSpawn slots).
    /// Admitting more lets roots fill every slot while children wait and evict parked parents, which then
    /// recompute their prefix: measured several times slower on 64 slots.
    /// </summary>
    public int ProblemsInFlight => _options.MaxConcurrentProblems > 0 ? _options.MaxConcurrentProblems
        : _options.Method == SearchMethod.Apr ? Math.Max(1, _engine.Slots / (1 + _guards.MaxChildrenPerSpawn))
        : _engine.Slots;

    /// <summary>Solves one problem.</summary>
    public ProblemRecord Solve(CountdownProblem problem, ulong seed) => Solve([new SolveItem(problem, seed)])[0];

    /// <summary>The root prompt, with the options' conditioning prefixes.</summary>
    public string RootPrompt(CountdownProblem problem) => RootPrompt(problem, _options.TokenBudget);

    private string RootPrompt(CountdownProblem problem, int? tokenBudget) =>
        Conditioning(tokenBudget) + RandomPolicy.RootPrompt(problem, _options.Method == SearchMethod.Apr ? SearchMethod.Apr : SearchMethod.SosPlus);

    /// <summary>The conditioning prefixes the root's prompt starts with (and, with TellChildren, every child's).</summary>
    private string Conditioning(int? tokenBudget)
    {
        var prefix = new System.Text.StringBuilder();
        if (_options.Method == SearchMethod.Apr && _options.SubCallBudget is { } n) TraceFormat.SubCallBudget(prefix, n);
        if (tokenBudget is { } b) TraceFormat.TokenBudget(prefix, b);
        return prefix.ToString();
    }

    private void StartRoot(ProblemRun run)
    {
        var settings = _options.Method == SearchMethod.Apr
            ? new GrammarSettings(SearchMethod.Apr, 0, _guards.MaxDepth, _guards.MaxChildrenPerSpawn)
            : GrammarSettings.SosPlus;
        var root = new RuntimeThread(run, NodeIds.Root, null, 0, NodeIds.Root, settings)
        {
            Seen = _options.Value is { Revisit: < 1 } value ? new SeenStates(value.Revisit) : null, // a value implies guided decoding (SolveOptions.Validate)
        };
        run.Root = root;
        run.Live.Add(root);
        StartCall(root, RootPrompt(run.Item.Problem, _options.TokenBudgetFor(run.Item)), null);
    }

    private void StartCall(RuntimeThread thread, string prompt, CallSequence? resumeFrom)
    {
        var promptIds = _tokenizer.EncodePrompt(prompt);
        var rng = Rng.ForItem(Rng.Mix(thread.Problem.Item.Seed, ThreadKey(thread.Id)), (ulong)thread.Calls);
        var shared = CommonPrefix(thread.LastIds, promptIds);
        var limits = new CallLimits(Math.Min(_guards.ContextPerThread, _engine.MaxLength), thread.Problem.Allowance, shared);
        var sampling = thread.Problem.Item.Sampling ?? _options.SamplingOrGreedy;
        CallSequence seq;
        try
        {
            if (_options.Guided)
            {
                // Once the problem's spawn budget is spent, new threads are offered no spawn at all.
                var settings = thread.Problem.Spawns >= _guards.MaxSpawnsPerProblem ? thread.Settings with { MaxChildren = 0 } : thread.Settings;
                var grammar = thread.Grammar ?? ThreadGrammar.Start(prompt, settings);
                thread.Grammar = grammar;
                seq = _options.Policy.Lines() is { } lines
                    ? CallSequence.Lines(promptIds, grammar, _tokenizer, lines, rng, limits)
                    : CallSequence.Guided(promptIds, grammar, _tokenizer, sampling, rng, limits, _options.Value?.For(thread.Problem.Item.Problem.Nums.Count));
            }
            else seq = CallSequence.Unguided(promptIds, _tokenizer, sampling, rng, limits, UnguidedStops);
        }
        catch (ProtocolException e)
        {
            // A prompt the grammar rejects (cannot happen for prompts the runtime builds; kept as a defined outcome).
            thread.Calls++;
            EndThread(thread, ThreadOutcome.Malformed, null, e.Message);
            return;
        }
        seq.Tag = thread;
        seq.Seen = thread.Seen;
        seq.Affinity = thread.Problem.Affinity;
        seq.KeepSlot = thread.Settings.Mode == SearchMethod.Apr && thread.Level < _guards.MaxDepth;
        seq.ResumeFrom = resumeFrom;
        thread.CurrentShared = shared;
        thread.Current = seq;
        thread.CurrentPrompt = prompt;
        thread.CurrentRecorded = false;
        _engine.Submit(seq, priority: thread.Level + (thread.Calls > 0 ? 1 : 0));
        Progress?.Invoke(new RuntimeProgress(thread.Problem.Index, thread.Id, thread.Parent?.Id, thread.NodeId, thread.Calls, null));
    }

    /// <summary>A thread id ("0.3.1") folded into one word, by explicit arithmetic.</summary>
    internal static ulong ThreadKey(string id)
    {
        ulong key = 0;
        foreach (var part in id.Split('.'))
            key = Rng.Mix(key, ulong.Parse(part, System.Globalization.CultureInfo.InvariantCulture) + 1);
        return key;
    }

    private static int CommonPrefix(int[] a, int[] b)
    {
        int n = Math.Min(a.Length, b.Length), i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }
}
