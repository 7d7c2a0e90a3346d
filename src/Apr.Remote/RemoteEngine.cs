// RemoteEngine: the runtime's calls decoded by remote servers (ICallEngine over RemoteBackend). Each
// step sends one request for every active call that has none in flight, blocks until at least one
// answer is back, and applies every answer that is back. All of a problem's calls go to one server
// (CallSequence.Affinity), children as concurrent requests.
//   guided   the grammar stays here: the call's forced spans are already appended to its tokens, so the
//            request is only the next decision (max_tokens 1, allowed_token_ids = the choices) with
//            the whole held sequence as the prompt; a server with prefix caching (vLLM, SGLang, apr
//            serve) computes only the new tokens. The answer's log-probs over the choices go through
//            CallSequence.OnLogits, so the draw uses the call's own random stream exactly as in process:
//            same seed, same records (up to float rounding), at any temperature.
//   unguided plain completions that stop at EOS or a spawn/join marker (stop_token_ids); the server
//            samples with a seed drawn from the call's stream (greedy: the same records as in process).
//   lines    the no-model policies need no server: they advance here.
// A request that fails for good fails its call (CallSequence.Fail), and the runtime stops that problem
// with ThreadOutcome.BackendError and the message; the other problems go on.
// It keeps no KV cache and does not judge text: the runtime does.
using System.Diagnostics;
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Remote;

public sealed class RemoteEngine : ICallEngine
{
    private sealed record Reply(byte[]? Body, string Server, BackendException? Error);

    private sealed class Pending(Task<Reply> task, CancellationTokenSource cancel, IReadOnlyList<int>? choices)
    {
        public Task<Reply> Task { get; } = task;
        public CancellationTokenSource Cancel { get; } = cancel;
        public IReadOnlyList<int>? Choices { get; } = choices;
    }

    private readonly RemoteBackend _backend;
    private readonly TraceTokenizer _tokenizer;
    private readonly string _model;
    private readonly int _slotsPerServer;
    private readonly CallQueue _queue = new();
    private readonly List<CallSequence> _active = [];
    private readonly Dictionary<CallSequence, Pending> _pending = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private float[] _logits = [];

    internal RemoteEngine(RemoteBackend backend, TraceTokenizer tokenizer, int context, int slotsPerServer, string model)
    {
        _backend = backend;
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        if (context < 1) throw new ArgumentOutOfRangeException(nameof(context), context, "must be positive");
        if (slotsPerServer < 1) throw new ArgumentOutOfRangeException(nameof(slotsPerServer), slotsPerServer, "must be positive");
        MaxLength = context;
        _slotsPerServer = slotsPerServer;
        _model = model;
    }

    /// <summary>Calls in flight at once: the slots per server times the servers (the runtime admits problems by it).</summary>
    public int Slots => _slotsPerServer * _backend.Options.Servers.Count;
    public int MaxLength { get; }
    public EngineStats Stats { get; } = new();
    public RemoteStats Remote => _backend.Stats;
    public long StepIndex { get; private set; }
    public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;
    public bool HasWork => _queue.Count > 0 || _active.Count > 0;
    public int SlotsInUse => _active.Count;

    public void Submit(CallSequence seq, int priority = 0) => _queue.Add(seq, priority);

    public void Cancel(CallSequence seq, CallEnd reason = CallEnd.Cancelled)
    {
        ArgumentNullException.ThrowIfNull(seq);
        _queue.Remove(seq);
        seq.Stop(reason);
        if (seq.EndStep < 0) Stamp(seq, end: true);
        _active.Remove(seq);
        if (_pending.Remove(seq, out var p)) p.Cancel.Cancel(); // the server sees the connection close and drops the work
    }

    /// <summary>Nothing is parked here: the server's prefix cache keeps what it keeps.</summary>
    public void ReleaseParked(CallSequence seq) { }

    public List<CallSequence> Step()
    {
        var t0 = Stopwatch.GetTimestamp();
        var ended = new List<CallSequence>();
        Admit(ended);
        foreach (var seq in _active.ToArray())
        {
            if (_pending.ContainsKey(seq)) continue;
            while (!seq.NeedsModel && !seq.Done) seq.OnLogits([]); // a line policy: no server
            if (seq.Done) Finish(seq, ended);
            else Send(seq);
        }
        var waited = TimeSpan.Zero;
        if (_pending.Count > 0)
        {
            var w0 = Stopwatch.GetTimestamp();
            Task.WaitAny([.. _pending.Values.Select(p => (Task)p.Task)]);
            waited = Stopwatch.GetElapsedTime(w0);
            foreach (var (seq, p) in _pending.Where(kv => kv.Value.Task.IsCompleted).ToArray())
            {
                _pending.Remove(seq);
                p.Cancel.Dispose();
                Apply(seq, p);
                if (seq.Done) Finish(seq, ended);
            }
        }
        StepIndex++;
        Stats.Steps++;
        Stats.Rows += _active.Count;
        var total = Stopwatch.GetElapsedTime(t0);
        Stats.StepMs += total.TotalMilliseconds;
        Stats.ForwardMs += waited.TotalMilliseconds;
        _backend.Stats.Wait(waited);
        _backend.Stats.ClientTime(total - waited);
        return ended;
    }

    private void Admit(List<CallSequence> ended)
    {
        if (_queue.Count == 0) return;
        _queue.Sort();
        while (_queue.Count > 0 && (_active.Count < Slots || _queue[0].Seq.Done))
        {
            var (seq, _) = _queue[0];
            _queue.RemoveAt(0);
            Stamp(seq, end: false);
            if (seq.Done)
            {
                Stamp(seq, end: true); // everything was forced, or the prompt did not fit: no server needed
                ended.Add(seq);
            }
            else _active.Add(seq);
        }
    }

    private void Send(CallSequence seq)
    {
        var held = seq.HeldTokens();
        var choices = seq.PendingChoices is { } c ? c.ToArray() : null;
        byte[] body = choices is not null
            ? Wire.Decision(_model, held, choices)
            : Wire.Text(_model, held, Math.Max(1, seq.Room), seq.Sampling, (long)(seq.NextSeed() >> 1), StopIds(seq));
        Stats.TokensFed += held.Length; // what the request carries; a prefix-caching server computes only the new part
        var order = _backend.Order(seq.Affinity);
        var cancel = new CancellationTokenSource();
        var task = Post(order, body, cancel.Token);
        _pending[seq] = new Pending(task, cancel, choices);
    }

    private async Task<Reply> Post(RemoteBackend.Server[] order, byte[] body, CancellationToken cancel)
    {
        try { return new Reply(await _backend.PostAsync(order, body, cancel).ConfigureAwait(false), order[0].Url.ToString(), null); }
        catch (BackendException e) { return new Reply(null, order[0].Url.ToString(), e); }
        catch (OperationCanceledException) { return new Reply(null, order[0].Url.ToString(), new BackendException("cancelled")); }
        catch (Exception e) { return new Reply(null, order[0].Url.ToString(), new BackendException($"{order[0].Url}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", e)); }
    }

    private void Apply(CallSequence seq, Pending p)
    {
        var reply = p.Task.Result;
        try
        {
            if (reply.Error is not null) throw reply.Error;
            if (p.Choices is { } choices) Decide(seq, choices, Wire.ReadDecision(reply.Body!, choices, reply.Server));
            else TakeText(seq, reply);
        }
        catch (BackendException e)
        {
            if (reply.Error is null) _backend.Stats.Failed();
            seq.Fail(e.Message);
        }
    }

    // The answer's log-probs over the choices as a logits row (the rest -inf): OnLogits draws from it with the call's own stream.
    private void Decide(CallSequence seq, IReadOnlyList<int> choices, Dictionary<int, float> logProbs)
    {
        int v = _tokenizer.VocabSize;
        if (_logits.Length < v) _logits = new float[v];
        foreach (var id in choices) _logits[id] = logProbs.TryGetValue(id, out var lp) ? lp : float.NegativeInfinity;
        seq.OnLogits(_logits.AsSpan(0, v));
    }

    private void TakeText(CallSequence seq, Reply reply)
    {
        var (ids, lps, finish, stop) = Wire.ReadText(reply.Body!, _tokenizer.VocabSize, reply.Server);
        for (int i = 0; i < ids.Length && !seq.Done; i++) seq.TakeToken(ids[i], lps[i]); // past the call's own end: the server's overshoot, dropped
        if (seq.Done) return;
        // A server that stopped on EOS or a stop token without returning it (some leave it out of token_ids): take it.
        if (finish == "stop") seq.TakeToken(stop ?? _tokenizer.Eos, 0f);
        else if (ids.Length == 0) throw new BackendException($"{reply.Server} answered a bad completion: no tokens and finish_reason '{finish}'");
    }

    /// <summary>EOS and every stop string that is one token (the spawn and join markers are): the server stops there, the client checks the text itself.</summary>
    private int[] StopIds(CallSequence seq)
    {
        var ids = new List<int> { _tokenizer.Eos };
        foreach (var stop in seq.StopStrings)
            if (_tokenizer.Encode(stop) is [var single]) ids.Add(single);
        return [.. ids];
    }

    private void Finish(CallSequence seq, List<CallSequence> ended)
    {
        _active.Remove(seq);
        Stamp(seq, end: true);
        ended.Add(seq);
    }

    private void Stamp(CallSequence seq, bool end)
    {
        if (end) { seq.EndStep = StepIndex; seq.EndMs = ElapsedMs; }
        else { seq.StartStep = StepIndex; seq.StartMs = ElapsedMs; }
    }
}
