// Evaluator: runs EvalConditions over a problem list on the engine: all problems concurrently (or one at
// a time for latency conditions), n samples per problem batched, each method's InferenceSession (model,
// tokenizer, decoder) shared by the conditions of that method. The no-model policies run through the
// same runtime on a no-model session, so they share the grammar, guards, budget and counting. It
// scores nothing itself (EvalMetrics does). It does not own the sessions.
using System.Diagnostics;
using Apr.Countdown;
using Apr.Inference;
using Apr.Model;
using Apr.Tokenization;
using Apr.Protocol;
using Apr.Search;

namespace Apr.Evaluation;

public sealed class Evaluator : IDisposable
{
    private readonly Dictionary<SearchMethod, InferenceSession> _models;
    private readonly GuardOptions _guards;
    private readonly ulong _seed;
    private readonly int _slots;

    /// <summary>
    /// <paramref name="models"/>: the model session of each method that has one. <paramref name="guards"/>: the
    /// runtime's limits (its context is the largest the evaluation can score; no session may hold less; its
    /// MaxDepth is also the symbolic APR solver's nesting depth).
    /// <paramref name="slots"/>: threads decoded at once by the no-model policies.
    /// </summary>
    public Evaluator(IReadOnlyDictionary<SearchMethod, InferenceSession> models, GuardOptions guards, ulong seed, int slots = InferenceDefaults.Slots)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = new(models);
        _guards = (guards ?? throw new ArgumentNullException(nameof(guards))).Validate();
        if (slots < 1) throw new ArgumentOutOfRangeException(nameof(slots), slots, "need at least one slot");
        foreach (var (method, m) in _models)
            if (_guards.ContextPerThread > m.Context)
                throw new ArgumentException($"the context {_guards.ContextPerThread} exceeds the {method.Label()} session's context {m.Context}");
        _seed = seed;
        _slots = slots;
    }

    public GuardOptions Guards => _guards;

    /// <summary>The learned ranking of the ranked trees (EvalPolicy.Ranked; `--ranker`); null: none was given.</summary>
    public ISuccessorScorer? Ranker { get; init; }

    /// <summary>Learned values weighing each method's model's guided choices (`--value-model`, or a model's manifest); a method not in it: the model alone.</summary>
    public IReadOnlyDictionary<SearchMethod, ValueGuide>? Values { get; init; }

    /// <summary>Told of each finished record as it finishes (the verbs' OpenTelemetry export); null: nobody.</summary>
    public Action<ProblemRecord>? OnRecord { get; init; }

    public bool HasModel(SearchMethod method) => _models.ContainsKey(method);

    /// <summary>Runs <paramref name="condition"/>; <paramref name="onSample"/> is told of each finished sample.</summary>
    public ConditionResult Run(EvalCondition condition, IReadOnlyList<CountdownProblem> problems, Action<EvalSample>? onSample = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(problems);
        int count = condition.ProblemCount(problems.Count);
        if (count < problems.Count) problems = problems.Take(count).ToList();
        var clock = Stopwatch.StartNew();
        if (condition.Policy is EvalPolicy.Symbolic or EvalPolicy.Ranked)
        {
            var ranking = condition.Policy == EvalPolicy.Ranked
                ? Ranker ?? throw new InvalidOperationException($"condition '{condition.Name}' needs a learned ranking (--ranker) and none was given")
                : null;
            var symbolic = condition.Tree is { } tree
                ? SymbolicBaseline.Run(tree.Options(_guards.MaxDepth, ranking), problems, _seed, TraceTokenizer.Default)
                : SymbolicBaseline.Run(condition.Method, problems, _seed, TraceTokenizer.Default, _guards.MaxDepth);
            var samples = symbolic.Select(EvalSample.From).ToList();
            foreach (var r in symbolic) OnRecord?.Invoke(r);
            foreach (var s in samples) onSample?.Invoke(s);
            return new ConditionResult(condition, samples, symbolic, clock.Elapsed.TotalSeconds);
        }
        IDecoder? owned = null;
        try
        {
            var options = new SolveOptions(condition.Method, condition.Guided,
                condition.Choices!.Value,
                condition.Temperature > 0 ? new SamplingOptions(condition.Temperature) : SamplingOptions.Greedy,
                _guards, condition.SubCallBudget, condition.TokenBudget,
                MaxConcurrentProblems: condition.OneAtATime ? 1 : 0, Budget: condition.Budget,
                Value: condition.Policy == EvalPolicy.Model && condition.Guided ? Values?.GetValueOrDefault(condition.Method) : null,
                TellChildren: condition.TellChildren);
            AprRuntime runtime;
            if (condition.Policy != EvalPolicy.Model)
            {
                owned = new NullDecoder(TraceTokenizer.Default.VocabSize, _slots, _guards.ContextPerThread);
                runtime = new AprRuntime(owned, TraceTokenizer.Default, options);
            }
            else if (_models.TryGetValue(condition.Method, out var m)) runtime = m.Runtime(options); // in process or through a remote backend
            else throw new InvalidOperationException($"condition '{condition.Name}' needs a {condition.MethodName} model and none was given");
            var items = MultiSample.Items(problems, condition.Samples, _seed);
            var records = runtime.Solve(items, r =>
            {
                OnRecord?.Invoke(r);
                onSample?.Invoke(EvalSample.From(r));
            });
            return new ConditionResult(condition, records.Select(EvalSample.From).ToList(), records, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    public void Dispose() { }
}
