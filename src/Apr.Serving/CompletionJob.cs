// CompletionJob: one /v1/completions request (n plain calls on the engine) as the engine loop runs it.
// After every engine step the loop copies each call's new tokens (and top log-probs) into events, so the
// HTTP side never reads a CallSequence the loop is writing. One writer (the loop), one reader.
using System.Threading.Channels;
using Apr.Inference;

namespace Apr.Serving;

/// <summary>New tokens of choice <see cref="Index"/>; <see cref="End"/> is not None on its last event.</summary>
public sealed record CompletionEvent(int Index, ThreadToken[] Tokens, (int Id, float LogProb)[][] Top, CallEnd End);

public sealed class CompletionJob
{
    private readonly Channel<CompletionEvent> _events = Channel.CreateUnbounded<CompletionEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly int[] _sent;
    private readonly bool[] _reported;
    private int _open;

    internal CompletionJob(ServedModel model, IReadOnlyList<CallSequence> calls)
    {
        Model = model;
        Calls = calls;
        _sent = new int[calls.Count];
        _reported = new bool[calls.Count];
        _open = calls.Count;
    }

    public ServedModel Model { get; }

    /// <summary>The calls (owned by the loop thread once submitted).</summary>
    internal IReadOnlyList<CallSequence> Calls { get; }

    public ChannelReader<CompletionEvent> Events => _events.Reader;

    internal bool Ended { get; private set; }

    /// <summary>Loop thread: emits what each call wrote since the last pump; true when every call has ended.</summary>
    internal bool Pump()
    {
        for (int i = 0; i < Calls.Count; i++)
        {
            if (_reported[i]) continue;
            var seq = Calls[i];
            int from = _sent[i], to = seq.Tokens.Count;
            if (to == from && !seq.Done) continue;
            var tokens = new ThreadToken[to - from];
            for (int k = from; k < to; k++) tokens[k - from] = seq.Tokens[k];
            var top = seq.TopLogprobs.Count >= to ? seq.TopLogprobs.Skip(from).Take(to - from).ToArray() : [];
            _sent[i] = to;
            _events.Writer.TryWrite(new CompletionEvent(i, tokens, top, seq.Done ? seq.End : CallEnd.None));
            if (seq.Done)
            {
                _reported[i] = true;
                _open--;
            }
        }
        if (_open == 0) End(null);
        return _open == 0;
    }

    internal void End(Exception? error)
    {
        if (Ended) return;
        Ended = true;
        _events.Writer.TryComplete(error);
    }
}
