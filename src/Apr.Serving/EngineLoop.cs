// EngineLoop: the one thread that owns every model's runtime and engine and steps them. Requests never
// touch the engine: they hand work to the loop (SubmitChat, SubmitCompletion, Cancel post actions to an
// inbox) and read their job's event channel. Each turn the loop runs the posted actions, starts waiting
// problems while the runtime has room (AprRuntime.ProblemsInFlight), runs one engine step per model with
// work (so every request's threads and plain calls share one batched forward), hands finished records
// and new tokens to their jobs, and publishes counters; with nothing to do it sleeps until posted to.
// Cancelling a job stops its problems and calls at once, which frees their KV-cache slots.
// It does not parse HTTP or judge answers (the runtime's verifier does).
using System.Collections.Concurrent;
using Apr.Inference;
using Apr.Telemetry;
using Apr.Model;

namespace Apr.Serving;

public sealed class EngineLoop : IDisposable
{
    private readonly List<Lane> _lanes;
    private readonly ConcurrentQueue<Action> _inbox = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private volatile bool _stop;

    /// <summary>A loop over <paramref name="models"/> (it disposes them); its thread starts at once.</summary>
    public EngineLoop(IReadOnlyList<ServedModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("no models to serve", nameof(models));
        _lanes = [.. models.Select(m => new Lane(m))];
        _thread = new Thread(Run) { Name = "apr-engine", IsBackground = true };
        _thread.Start();
    }

    public IReadOnlyList<ServedModel> Models => [.. _lanes.Select(l => l.Model)];

    public ServedModel? Find(string id) => _lanes.Find(l => l.Model.Id == id)?.Model;

    /// <summary>Counters as of the end of the loop's last turn.</summary>
    public IReadOnlyList<LaneCounters> Counters => [.. _lanes.Select(l => l.Counters)];

    /// <summary>Cache slots held across all models (running or parked calls).</summary>
    public int SlotsInUse => _lanes.Sum(l => l.Counters.SlotsInUse);

    /// <summary>Problems and plain calls the loop holds (waiting or running).</summary>
    public int WorkInFlight => _lanes.Sum(l => l.Counters.ProblemsPending + l.Counters.ProblemsInFlight + l.Counters.PlainCalls);

    public ChatJob SubmitChat(ServedModel model, IReadOnlyList<SolveItem> items)
    {
        var lane = LaneOf(model);
        var job = new ChatJob(model, items);
        Post(() =>
        {
            for (int s = 0; s < items.Count; s++) lane.Pending.Enqueue((job, s));
        });
        return job;
    }

    public CompletionJob SubmitCompletion(ServedModel model, IReadOnlyList<CallSequence> calls)
    {
        var lane = LaneOf(model);
        var job = new CompletionJob(model, calls);
        Post(() =>
        {
            foreach (var call in calls) lane.Runtime.Engine.Submit(call);
            lane.Plain.Add(job);
        });
        return job;
    }

    /// <summary>
    /// Loads the weights in <paramref name="directory"/> into <paramref name="model"/> between two engine steps
    /// (SGLang's update_weights_from_disk): every request then in flight on that model ends with a 503 its
    /// client retries (so no answer mixes old and new weights), and the prefix cache is dropped. Returns how
    /// many requests were ended; a directory whose config differs from the served model's, or whose weights
    /// do not fit it, is an ApiError 400 and changes nothing.
    /// </summary>
    public Task<int> ReloadAsync(ServedModel model, string directory)
    {
        var lane = LaneOf(model);
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try { done.SetResult(lane.Reload(directory)); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    /// <summary>Stops the job's work (problems, calls) and frees its slots; its channel completes as cancelled.</summary>
    public void Cancel(ChatJob job) => Post(() => LaneOf(job.Model).Cancel(job), orThrow: false);

    public void Cancel(CompletionJob job) => Post(() => LaneOf(job.Model).Cancel(job), orThrow: false);

    private Lane LaneOf(ServedModel model) => _lanes.Find(l => l.Model == model) ?? throw new ArgumentException($"the model '{model.Id}' is not served by this loop");

    private void Post(Action action, bool orThrow = true)
    {
        if (_stop)
        {
            if (orThrow) throw new ObjectDisposedException(nameof(EngineLoop), "the server is shutting down");
            return; // a cancel after the loop stopped: the loop already ended every job
        }
        _inbox.Enqueue(action);
        _wake.Release();
    }

    private void Run()
    {
        while (true)
        {
            while (_inbox.TryDequeue(out var action)) action();
            if (_stop) break;
            bool worked = false;
            foreach (var lane in _lanes) worked |= lane.Turn();
            if (!worked) _wake.Wait();
        }
        foreach (var lane in _lanes) lane.Shutdown();
    }

    /// <summary>Stops the thread (work still in flight is cancelled) and disposes the models.</summary>
    public void Dispose()
    {
        if (_stop) return;
        _stop = true;
        _wake.Release();
        _thread.Join();
        foreach (var lane in _lanes) lane.Model.Dispose();
        _wake.Dispose();
    }

    /// <summary>One model's runtime and the work queued on it (loop thread only, but Counters).</summary>
    private sealed class Lane
    {
        private (ChatJob Job, int Sample)? _starting;

        public Lane(ServedModel model)
        {
            Model = model;
            Runtime = NewRuntime();
            Counters = new LaneCounters(model.Id, model.Session.Slots, 0, 0, 0, 0, 0, 0);
        }

        public ServedModel Model { get; }
        public AprRuntime Runtime { get; private set; }
        public Queue<(ChatJob Job, int Sample)> Pending { get; } = new();
        public Dictionary<int, (ChatJob Job, int Sample)> Tickets { get; } = [];
        public List<CompletionJob> Plain { get; } = [];
        public volatile LaneCounters Counters;
        private long _steps, _tokens;

        private AprRuntime NewRuntime()
        {
            var runtime = Model.NewRuntime();
            runtime.Progress = p =>
            {
                // A problem's first call starts inside Runtime.Start, before its ticket is known: that is _starting.
                if (Tickets.TryGetValue(p.Ticket, out var owner)) owner.Job.OnProgress(owner.Sample, p);
                else if (_starting is { } starting) starting.Job.OnProgress(starting.Sample, p);
            };
            return runtime;
        }

        /// <summary>Starts what fits, runs one step; false when there was nothing to do.</summary>
        public bool Turn()
        {
            try
            {
                while (Pending.Count > 0 && Runtime.InFlight < Runtime.ProblemsInFlight)
                {
                    var (job, sample) = Pending.Dequeue();
                    if (job.Ended) continue;
                    _starting = (job, sample);
                    int ticket = Runtime.Start(job.Items[sample]);
                    _starting = null;
                    Tickets[ticket] = (job, sample);
                    job.Tickets.Add(ticket);
                }
                if (!Runtime.HasWork)
                {
                    Publish();
                    return false;
                }
                long fed = Runtime.Engine.Stats.TokensFed;
                foreach (var (ticket, record) in Runtime.Step())
                {
                    ProblemTraces.Emit(record, DateTimeOffset.UtcNow); // a no-op unless --otlp-endpoint attached a tracer
                    if (Tickets.Remove(ticket, out var t)) t.Job.OnRecord(t.Sample, record);
                }
                _steps++;
                _tokens += Runtime.Engine.Stats.TokensFed - fed;
                Plain.RemoveAll(job => job.Pump());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug in a step: fail every request of this model with the error, and start over on a fresh runtime.
                FailAll(new InvalidOperationException($"the engine failed: {e.GetType().Name}: {e.Message}", e));
            }
            Publish();
            return true;
        }

        public void Cancel(ChatJob job)
        {
            foreach (var ticket in job.Tickets)
            {
                Runtime.Cancel(ticket);
                Tickets.Remove(ticket);
            }
            job.End(new OperationCanceledException("the request was cancelled"));
            Publish();
        }

        public void Cancel(CompletionJob job)
        {
            // A call that already ended is left as it was: its slot stays a prefix-cache entry for the next request.
            foreach (var call in job.Calls)
                if (!call.Done) Runtime.Engine.Cancel(call);
            Plain.Remove(job);
            job.End(new OperationCanceledException("the request was cancelled"));
            Publish();
        }

        public void Shutdown() => FailAll(new OperationCanceledException("the server is shutting down"));

        public int Reload(string directory)
        {
            var loaded = Model.Session.Model ?? throw ApiError.BadRequest($"model '{Model.Id}' runs a no-model policy: there are no weights to reload", "model");
            string dir;
            try
            {
                dir = ModelLoader.Resolve(directory);
                var config = ModelConfig.Load(Path.Combine(dir, ModelFiles.ConfigFile));
                if (config != loaded.Config) throw new InvalidDataException($"{dir}: its config.json describes another model than the one served ({config} vs {loaded.Config})");
                ModelFiles.LoadWeights(loaded, Path.Combine(dir, ModelFiles.WeightsFile));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                throw ApiError.BadRequest($"cannot reload the weights: {e.Message.ReplaceLineEndings(" ")}", "model_path");
            }
            int ended = Tickets.Count + Pending.Count + Plain.Count;
            // Everything in flight ran on the old weights: end it retryably; the fresh runtime starts with an empty prefix cache.
            FailAll(new ApiError(503, "the model's weights were reloaded while this request ran; retry it", null, "weights_reloaded", "server_error") { RetryAfter = 0 });
            return ended;
        }

        private void FailAll(Exception error)
        {
            foreach (var (job, _) in Tickets.Values) job.End(error);
            foreach (var (job, _) in Pending) job.End(error);
            foreach (var job in Plain) job.End(error);
            Tickets.Clear();
            Pending.Clear();
            Plain.Clear();
            _starting = null;
            Runtime = NewRuntime();
        }

        private void Publish() => Counters = new LaneCounters(Model.Id, Model.Session.Slots, Runtime.Engine.SlotsInUse, Pending.Count,
            Runtime.InFlight, Plain.Sum(j => j.Calls.Count(c => !c.Done)), _steps, _tokens);
    }
}

/// <summary>One model's engine counters (for /metrics and tests): slots, problems waiting and running, plain calls, steps, tokens fed.</summary>
public sealed record LaneCounters(string Model, int Slots, int SlotsInUse, int ProblemsPending, int ProblemsInFlight, int PlainCalls, long Steps, long TokensFed);
