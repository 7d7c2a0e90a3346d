// ChatJob: one chat request's problems (n samples of one Countdown problem) as the engine loop runs them.
// The loop writes events (each call's start and end, each finished record) into a channel the request
// reads, so the HTTP side never touches the runtime. Written only on the loop thread; read by one reader.
using System.Threading.Channels;
using Apr.Inference;

namespace Apr.Serving;

/// <summary>An event of sample <see cref="Sample"/>: a call started or ended (<see cref="Progress"/>), or the problem finished (<see cref="Record"/>).</summary>
public sealed record ChatEvent(int Sample, RuntimeProgress? Progress, ProblemRecord? Record);

public sealed class ChatJob
{
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ProblemRecord?[] _records;
    private int _finished;

    internal ChatJob(ServedModel model, IReadOnlyList<SolveItem> items)
    {
        Model = model;
        Items = items;
        _records = new ProblemRecord?[items.Count];
    }

    public ServedModel Model { get; }
    public IReadOnlyList<SolveItem> Items { get; }

    /// <summary>Every event in order; completes after the last record (or with the loop's error, or cancelled).</summary>
    public ChannelReader<ChatEvent> Events => _events.Reader;

    /// <summary>The tickets the runtime gave this job's started samples (loop thread only).</summary>
    internal List<int> Tickets { get; } = [];

    internal bool Ended { get; private set; }

    internal void OnProgress(int sample, RuntimeProgress progress) => _events.Writer.TryWrite(new ChatEvent(sample, progress, null));

    internal void OnRecord(int sample, ProblemRecord record)
    {
        _records[sample] = record;
        _events.Writer.TryWrite(new ChatEvent(sample, null, record));
        if (++_finished == _records.Length) End(null);
    }

    internal void End(Exception? error)
    {
        if (Ended) return;
        Ended = true;
        _events.Writer.TryComplete(error);
    }
}
