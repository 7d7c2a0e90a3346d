// CallSequence: one call of one thread as the engine runs it: the prompt, the tokens still to be fed
// to the model, the sampling state (its own Rng, so draws do not depend on the batch), and every
// completion token tagged with its source. Three ways to choose:
//   guided    the grammar's token trie: forced spans are queued for one prefill, choices are masked
//             (and, with a ValueGuide, choices among lines that lead to states weighed by a learned value);
//   lines     guided, but at each choice point a no-model LinePolicy picks a whole legal line;
//   unguided  plain sampling over the whole vocabulary, stopping at EOS or a stop string;
//   plain     unguided, with PlainOptions: a fixed allowed set, stop token ids, top log-probs (the server).
// Limits are enforced as tokens are appended, whoever writes them (the model, the grammar's forced
// spans, the closing EOS): the call never holds more than ContextLimit tokens (prompt + completion),
// and every token it adds is first taken from the problem's TokenAllowance. A token that does not fit
// is not added and the call ends (ContextLimit, TokenLimit). A prompt that does not fit ends the call
// before it starts, with no completion.
// It does not own a cache slot (the engine assigns one) and does not know threads or problems.
// Longer than our usual 300 lines on purpose: the four modes share the one append path that enforces the
// limits above; splitting by mode would copy those checks into each.
using System.Text;
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

public sealed class CallSequence
{
    private enum Mode { Guided, Lines, Unguided }

    private readonly Mode _mode;
    private readonly TraceTokenizer _tokenizer;
    private readonly SamplingOptions _sampling;
    private readonly GuidedCursor? _cursor;
    private readonly IReadOnlyList<string> _stops;
    private readonly StringBuilder _text = new();
    private readonly List<ThreadToken> _tokens = [];
    private readonly List<int[]?> _choices = [];
    private readonly List<float[]?> _choiceBias = [];
    private IReadOnlyList<int>? _allowed;
    private readonly LinePolicy _linePolicy;
    private readonly TokenAllowance _allowance;
    private int[]? _chosenLine;
    private Rng _rng;
    private readonly int[]? _plainAllowed;
    private readonly HashSet<int>? _stopTokens;
    private readonly int _topLogprobs;
    private readonly bool _plain;
    private readonly List<(int Id, float LogProb)[]> _top = [];
    private readonly ValueGuide? _value;
    private readonly Dictionary<string, ValueGuide.LineRating?>? _lineValues; // the guide's ratings per line, for this call (with a guide only)
    private float[]? _guidedLogits;

    private CallSequence(Mode mode, int[] promptIds, TraceTokenizer tokenizer, SamplingOptions sampling, Rng rng, CallLimits? limits,
                         ThreadGrammar? grammar, IReadOnlyList<string>? stops, LinePolicy linePolicy = LinePolicy.Uniform, PlainOptions? plain = null, ValueGuide? value = null)
    {
        if (promptIds.Length == 0) throw new ArgumentException("a call needs at least one prompt token", nameof(promptIds));
        limits ??= new CallLimits(int.MaxValue);
        _mode = mode;
        PromptIds = promptIds;
        _tokenizer = tokenizer;
        _sampling = sampling.Validate();
        _rng = rng;
        _linePolicy = linePolicy;
        _value = value;
        _lineValues = value is null ? null : new(StringComparer.Ordinal);
        ContextLimit = Math.Max(1, limits.Context);
        _allowance = limits.Allowance ?? TokenAllowance.Unlimited();
        _cursor = grammar is null ? null : new GuidedCursor(grammar, tokenizer);
        _stops = stops ?? [];
        _plain = plain is not null;
        if (plain is not null)
        {
            _plainAllowed = plain.AllowedTokens is { } allowed ? [.. allowed.Distinct().Order()] : null;
            if (_plainAllowed is { Length: 0 }) throw new ArgumentException("the allowed token set is empty", nameof(plain));
            _stopTokens = plain.StopTokens is { Count: > 0 } st ? [.. st] : null;
            _topLogprobs = Math.Max(0, plain.TopLogprobs);
        }
        int shared = Math.Clamp(limits.SharedPrefix, 0, promptIds.Length);
        if (promptIds.Length > ContextLimit) { End = CallEnd.ContextLimit; return; }
        if (!_allowance.TryTake(promptIds.Length - shared)) { End = CallEnd.TokenLimit; return; }
        Feed.AddRange(promptIds);
        Started = true;
        if (_cursor is not null) ContinueForced();
    }

    /// <summary>The prompt fitted the context and the problem's allowance and was taken: the call held tokens (false: it ended before it began).</summary>
    public bool Started { get; }

    /// <summary>The states the thread knows were searched (the value's revisit factor; AprRuntime sets it before the call is submitted); null: none.</summary>
    internal SeenStates? Seen { get; set; }

    /// <summary>A guided call (grammar-forced spans inserted, choices masked and sampled from the model's logits, weighed by <paramref name="value"/> if given).</summary>
    public static CallSequence Guided(int[] promptIds, ThreadGrammar grammar, TraceTokenizer tokenizer, SamplingOptions sampling, Rng rng, CallLimits? limits, ValueGuide? value = null) =>
        new(Mode.Guided, promptIds, tokenizer, sampling, rng, limits, grammar ?? throw new ArgumentNullException(nameof(grammar)), null, value: value);

    /// <summary>A no-model policy: guided, and at every choice point <paramref name="policy"/> picks one legal line.</summary>
    public static CallSequence Lines(int[] promptIds, ThreadGrammar grammar, TraceTokenizer tokenizer, LinePolicy policy, Rng rng, CallLimits? limits) =>
        new(Mode.Lines, promptIds, tokenizer, SamplingOptions.Greedy, rng, limits, grammar ?? throw new ArgumentNullException(nameof(grammar)), null, policy);

    /// <summary>Plain sampling until EOS or one of <paramref name="stopStrings"/> ends the text.</summary>
    public static CallSequence Unguided(int[] promptIds, TraceTokenizer tokenizer, SamplingOptions sampling, Rng rng, CallLimits? limits, IReadOnlyList<string>? stopStrings = null) =>
        new(Mode.Unguided, promptIds, tokenizer, sampling, rng, limits, null, stopStrings);

    /// <summary>The engine as a plain language model: unguided sampling with <paramref name="options"/> (allowed set, stop tokens and strings, top log-probs).</summary>
    public static CallSequence Plain(int[] promptIds, TraceTokenizer tokenizer, SamplingOptions sampling, Rng rng, CallLimits? limits, PlainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Mode.Unguided, promptIds, tokenizer, sampling, rng, limits, null, options.StopStrings, plain: options);
    }

    /// <summary>Plain calls with PlainOptions.TopLogprobs: per sampled token, the most likely tokens and their log-probs (temperature 1, over the allowed set).</summary>
    public IReadOnlyList<(int Id, float LogProb)[]> TopLogprobs => _top;

    /// <summary>The prompt's token ids (BOS first), all inserted by the runtime.</summary>
    public int[] PromptIds { get; }

    /// <summary>Most tokens (prompt + completion) this call may hold in its cache.</summary>
    public int ContextLimit { get; }

    /// <summary>The completion so far, every token tagged.</summary>
    public IReadOnlyList<ThreadToken> Tokens => _tokens;

    /// <summary>
    /// One entry per sampled token, in order: the token ids it was drawn among (the grammar's choices,
    /// ascending), or null when it was drawn from the whole vocabulary (unguided) or by the random policy.
    /// RL recomputes log-probabilities under exactly these masks.
    /// </summary>
    public IReadOnlyList<int[]?> Choices => _choices;

    /// <summary>
    /// One entry per sampled token, beside <see cref="Choices"/>: what a ValueGuide added to each choice's logit
    /// (aligned with that token's choices), or null where no value weighed the choice. The token was drawn from
    /// softmax(logits + bias) over its choices; RL recomputes its log-probability the same way.
    /// </summary>
    public IReadOnlyList<float[]?> ChoiceBias => _choiceBias;

    /// <summary>Tokens waiting to be appended to the cache in the next forward.</summary>
    internal List<int> Feed { get; } = [];

    /// <summary>Token ids already in this call's cache slot, in order.</summary>
    internal List<int> Cached { get; } = [];

    /// <summary>The grammar (guided and random calls), else null.</summary>
    public ThreadGrammar? Grammar => _cursor?.Grammar;

    public CallEnd End { get; private set; }
    public bool Done => End != CallEnd.None;

    /// <summary>Prompt tokens served from an earlier call's cache (prefix reuse) instead of being recomputed.</summary>
    public int ReusedPrefix { get; internal set; }

    /// <summary>Model forward passes this call took part in.</summary>
    public int Forwards { get; internal set; }

    /// <summary>Engine steps at which the call was admitted and ended; wall-clock ms since the engine started.</summary>
    public long StartStep { get; internal set; } = -1;
    public long EndStep { get; internal set; } = -1;
    public double StartMs { get; internal set; } = -1;
    public double EndMs { get; internal set; } = -1;

    /// <summary>Whatever the caller attached (the runtime's thread).</summary>
    public object? Tag { get; set; }

    /// <summary>Keep the cache slot after the call ends so a later call can reuse its prefix.</summary>
    public bool KeepSlot { get; set; }

    /// <summary>
    /// Plain calls of a server: when the call ends its slot stays as a prefix-cache entry, and when it starts
    /// it may take over an entry whose tokens its prompt repeats (InferenceEngine: cross-request prefix reuse).
    /// </summary>
    public bool PrefixCache { get; set; }

    /// <summary>The earlier call whose parked slot this call resumes (prefix reuse), or null.</summary>
    public CallSequence? ResumeFrom { get; set; }

    /// <summary>The completion's text (EOS excluded).</summary>
    public string CompletionText => _tokenizer.Decode(_tokens.Where(t => t.Id != _tokenizer.Eos).Select(t => t.Id).ToArray());

    /// <summary>True when the call ended with a spawn block (its thread awaits a join).</summary>
    public bool EndsInSpawn => _cursor is not null
        ? End == CallEnd.Grammar && _cursor.Grammar.State == GrammarState.AwaitingJoin
        : End == CallEnd.StopString && SpawnProtocol.EndsInSpawnBlock(_text.ToString());

    public int SampledCount => _tokens.Count(t => t.Source == TokenSource.Sampled);

    /// <summary>
    /// Consumes the logits that follow the held tokens (<see cref="HeldTokens"/>): draws the next token and
    /// queues the next feed. A remote engine passes log-probs over <see cref="PendingChoices"/> (the rest
    /// negative infinity): the draw and the recorded log-prob are the same up to rounding.
    /// </summary>
    public void OnLogits(ReadOnlySpan<float> logits)
    {
        if (Done) throw new InvalidOperationException("the call already ended");
        Forwards++;
        switch (_mode)
        {
            case Mode.Unguided:
            {
                var (token, logProb) = Sampler.Sample(logits, _plainAllowed, _sampling, ref _rng);
                int before = _tokens.Count;
                TakeUnguided(token, logProb);
                if (_topLogprobs > 0 && _tokens.Count > before) _top.Add(Sampler.Top(logits, _plainAllowed, _topLogprobs));
                return;
            }
            case Mode.Guided:
            {
                float[]? bias = null;
                if (_value?.Apply(_cursor!, _allowed!, logits, ref _guidedLogits, _lineValues!, Seen) is { } guided)
                {
                    bias = new float[_allowed!.Count];
                    for (int i = 0; i < bias.Length; i++) bias[i] = guided[_allowed[i]] - logits[_allowed[i]];
                    logits = guided;
                }
                var (token, logProb) = Sampler.Sample(logits, _allowed, _sampling, ref _rng);
                if (!TakeSampled(token, logProb, [.. _allowed!], bias)) return;
                break;
            }
            default:
                if (!TakeLine()) return;
                break;
        }
        ContinueForced();
    }

    /// <summary>
    /// Unguided calls decoded elsewhere (a remote server sampled <paramref name="token"/> with
    /// <paramref name="logProb"/>): takes it as if this call had drawn it (limits, EOS, stop strings).
    /// </summary>
    public void TakeToken(int token, float logProb)
    {
        if (Done) throw new InvalidOperationException("the call already ended");
        if (_mode != Mode.Unguided) throw new InvalidOperationException("only an unguided call takes tokens sampled elsewhere; a guided call takes log-probs (OnLogits)");
        if ((uint)token >= (uint)_tokenizer.VocabSize) throw new ArgumentOutOfRangeException(nameof(token), token, $"token id outside the vocabulary of {_tokenizer.VocabSize}");
        if (_plainAllowed is not null && Array.BinarySearch(_plainAllowed, token) < 0) throw new ArgumentException($"token {token} is not in the allowed set", nameof(token));
        Forwards++;
        TakeUnguided(token, logProb);
    }

    private void TakeUnguided(int token, float logProb)
    {
        if (!Append(new ThreadToken(token, TokenSource.Sampled, logProb))) return;
        _choices.Add(_plainAllowed);
        _choiceBias.Add(null);
        if (token == _tokenizer.Eos) { End = CallEnd.Eos; return; }
        if (_stopTokens is not null && _stopTokens.Contains(token)) { End = CallEnd.StopToken; return; }
        _text.Append(_tokenizer.TokenText(token));
        Feed.Add(token);
        foreach (var stop in _stops)
            if (_text.Length >= stop.Length && EndsWith(_text, stop)) { End = CallEnd.StopString; return; }
        // A plain call (a server's completion) that holds max_tokens ends now: another forward could add nothing.
        if (_plain && PromptIds.Length + _tokens.Count >= ContextLimit) End = CallEnd.ContextLimit;
    }

    /// <summary>True when a model must decide the next token (false for the line policies, which pick lines without one).</summary>
    public bool NeedsModel => _mode != Mode.Lines;

    /// <summary>Guided calls at a choice point: the token ids the model chooses among (ascending); null otherwise (unguided: any token).</summary>
    public IReadOnlyList<int>? PendingChoices => Done || _mode == Mode.Unguided ? null : _allowed;

    /// <summary>Every token the call holds, in order: the prompt (BOS first) and the completion so far (EOS left out): what the model continues from.</summary>
    public int[] HeldTokens()
    {
        var held = new int[PromptIds.Length + _tokens.Count];
        PromptIds.CopyTo(held, 0);
        int n = PromptIds.Length;
        foreach (var t in _tokens)
            if (t.Id != _tokenizer.Eos) held[n++] = t.Id;
        return held[..n];
    }

    /// <summary>Completion tokens the call may still add before its context or the problem's allowance ends it.</summary>
    public int Room => (int)Math.Max(0, Math.Min(ContextLimit - PromptIds.Length - _tokens.Count, _allowance.Limit - _allowance.Used));

    /// <summary>How the call samples (temperature, top-k, top-p).</summary>
    public SamplingOptions Sampling => _sampling;

    /// <summary>Unguided calls: the strings that end the text.</summary>
    public IReadOnlyList<string> StopStrings => _stops;

    /// <summary>A seed for a draw made elsewhere (a remote server's sampler), from this call's own stream: reproducible, never shared.</summary>
    public ulong NextSeed() => _rng.NextUInt64();

    /// <summary>Which calls belong together (one problem): a remote engine sends them to one server. Null: no preference.</summary>
    public string? Affinity { get; set; }

    /// <summary>Why the call failed (CallEnd.Failed), else null.</summary>
    public string? Error { get; private set; }

    /// <summary>Ends the call as failed with <paramref name="error"/> (a remote backend gave up on it).</summary>
    public void Fail(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Done) return;
        Error = error;
        End = CallEnd.Failed;
    }

    /// <summary>Ends the call from outside (guards); the call's tokens so far stay recorded.</summary>
    internal void Stop(CallEnd reason)
    {
        if (!Done) End = reason;
    }

    /// <summary>
    /// The one place a completion token enters the call: it must fit the context and the problem's
    /// allowance, else the call ends (ContextLimit or TokenLimit) and the token is dropped.
    /// </summary>
    private bool Append(ThreadToken token)
    {
        if (PromptIds.Length + _tokens.Count + 1 > ContextLimit) { End = CallEnd.ContextLimit; return false; }
        if (!_allowance.TryTake(1)) { End = CallEnd.TokenLimit; return false; }
        _tokens.Add(token);
        return true;
    }

    private bool TakeSampled(int token, float logProb, int[]? choices = null, float[]? bias = null)
    {
        if (!Append(new ThreadToken(token, TokenSource.Sampled, logProb))) return false;
        _choices.Add(choices);
        _choiceBias.Add(bias);
        _cursor!.Take(token);
        Feed.Add(token);
        return true;
    }

    private bool TakeInserted(int token)
    {
        if (!Append(new ThreadToken(token, TokenSource.Inserted, 0f))) return false;
        _cursor!.Take(token);
        Feed.Add(token);
        return true;
    }

    // The line policy picks one legal line at the first choice point of a line; then that line's tokens
    // are taken up to its end, marked as sampled exactly where the trie branches (as TokenMarking does).
    private bool TakeLine()
    {
        var cursor = _cursor!;
        var alive = cursor.Alive;
        if (_chosenLine is null)
        {
            _chosenLine = alive[LinePicker.Pick(_linePolicy, alive.Select(o => o.Line).ToList(), ref _rng)].Tokens;
            float logProb = _linePolicy == LinePolicy.Enumerate ? 0f : -MathF.Log(alive.Count);
            if (!TakeSampled(_chosenLine[cursor.Position], logProb)) return false;
        }
        else if (!TakeSampled(_chosenLine[cursor.Position], 0f)) return false;
        while (cursor.Position > 0)
        {
            var token = _chosenLine[cursor.Position];
            if (!(cursor.AtBranch ? TakeSampled(token, 0f) : TakeInserted(token))) return false;
        }
        _chosenLine = null;
        return true;
    }

    private readonly List<int> _forced = [];

    private void ContinueForced()
    {
        _forced.Clear();
        _allowed = _cursor!.RunForced(_forced);
        foreach (var t in _forced)
        {
            if (!Append(new ThreadToken(t, TokenSource.Inserted, 0f))) return;
            Feed.Add(t);
        }
        if (_allowed is null && Append(new ThreadToken(_tokenizer.Eos, TokenSource.Inserted, 0f)))
            End = CallEnd.Grammar;
    }

    private static bool EndsWith(StringBuilder sb, string s)
    {
        for (int i = 0; i < s.Length; i++)
            if (sb[sb.Length - s.Length + i] != s[i]) return false;
        return true;
    }
}
