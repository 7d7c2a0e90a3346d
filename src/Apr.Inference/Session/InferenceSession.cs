// InferenceSession: the one composition root of inference. It resolves a model directory (ModelLoader:
// explicit path, $APR_MODEL, or the shipped models/<method>), loads the model, its tokenizer and its
// manifest's conditioning, sizes the context and the KV-cache slots (checked against the memory
// budget), owns the decoder and torch's process-wide thread count, and builds runtimes on them. solve,
// eval and rl go through it, with the defaults of InferenceDefaults, so every verb runs a model the same
// way; a no-model session (the line policies) has the same shape over a NullDecoder. With a Backend
// (SessionOptions.Backend: remote servers that run the model, Apr.Remote) the session loads the model's
// tokenizer, config and manifest but not its weights (unless SessionOptions.LoadWeights: the RL trainer
// updates them while the servers decode), and its runtimes decode through the backend.
using Apr.Model;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

/// <summary>The defaults every verb shares (one place, so solve, eval and rl agree).</summary>
public static class InferenceDefaults
{
    /// <summary>Tokens one thread may hold: a little above the paper's 4,096 Llama-2 tokens in ours (and never more than the model's positions).</summary>
    public const int ContextPerThread = 2048;

    /// <summary>Threads decoded at once (KV-cache slots).</summary>
    public const int Slots = 64;

    /// <summary>CPU threads for torch: every core.</summary>
    public static int Threads => TorchProcess.DefaultThreads;
}

/// <summary>
/// How a session sizes itself. 0 = the default: <see cref="Threads"/> every core, <see cref="Context"/> the
/// default capped by the model's positions. <see cref="Backend"/>: remote servers decode instead of a local
/// model (<see cref="Slots"/> is then the threads kept in flight per server); the caller owns it.
/// <see cref="LoadWeights"/>: with a Backend, load the weights here too (a trainer that updates them).
/// </summary>
public sealed record SessionOptions(int Threads = 0, int Slots = InferenceDefaults.Slots, int Context = 0, IEngineSource? Backend = null, bool LoadWeights = false)
{
    public SessionOptions Validate()
    {
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be positive (0 = every core)");
        if (Slots < 1) throw new ArgumentOutOfRangeException(nameof(Slots), Slots, "need at least one slot");
        if (Context < 0) throw new ArgumentOutOfRangeException(nameof(Context), Context, "the context must be positive (0 = the default)");
        return this;
    }
}

public sealed class InferenceSession : IDisposable
{
    private IDecoder? _decoder;

    private InferenceSession(string? directory, LlamaForCausalLm? model, TraceTokenizer tokenizer, ModelConditioning conditioning, int context, int slots, IEngineSource? backend = null)
    {
        Backend = backend;
        ModelDirectory = directory;
        Model = model;
        Tokenizer = tokenizer;
        Conditioning = conditioning;
        Context = context;
        Slots = slots;
    }

    /// <summary>The resolved model directory (null for a no-model session).</summary>
    public string? ModelDirectory { get; }

    public LlamaForCausalLm? Model { get; }

    public TraceTokenizer Tokenizer { get; }

    /// <summary>The prefixes the model was trained to read (its manifest).</summary>
    public ModelConditioning Conditioning { get; }

    /// <summary>Tokens one thread may hold.</summary>
    public int Context { get; }

    public int Slots { get; }

    /// <summary>The remote servers that run the model (null: it runs here).</summary>
    public IEngineSource? Backend { get; }

    /// <summary>The decoder: the model's (KV cache of <see cref="Slots"/> x <see cref="Context"/>), or a NullDecoder without a model. Built on first use; a remote session has none.</summary>
    public IDecoder Decoder => _decoder ??= Backend is not null
        ? throw new InvalidOperationException($"the model runs on {Backend.Describe}: a remote session has no local decoder")
        : Model is null
        ? new NullDecoder(Tokenizer.VocabSize, Slots, Context)
        : new TorchDecoder(Model, Slots, Context);

    /// <summary>
    /// Loads the model at <paramref name="path"/> (a model directory, checkpoint or training run). Errors
    /// (no such directory, no model in it, a bad config, tokenizer or manifest, a context the model cannot
    /// hold, a cache over the memory budget) are <see cref="InferenceSetupException"/>s with one-line messages.
    /// </summary>
    public static InferenceSession Load(string path, SessionOptions? options = null)
    {
        options = (options ?? new SessionOptions()).Validate();
        bool remote = options.Backend is not null && !options.LoadWeights; // the weights are the servers': read the tokenizer and config only
        if (!remote) SetTorchThreads(options.Threads);
        string dir;
        LlamaForCausalLm? model = null;
        ModelConfig config;
        TraceTokenizer tokenizer;
        ModelConditioning conditioning;
        try
        {
            dir = ModelLoader.Resolve(path);
            conditioning = ModelConditioning.Read(dir);
            if (remote) (config, tokenizer) = ModelLoader.LoadTokenizer(dir);
            else
            {
                (model, tokenizer) = ModelLoader.Load(dir);
                config = model.Config;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException)
        {
            throw new InferenceSetupException($"cannot load the model{(remote ? "'s tokenizer" : "")}: {e.Message}", e);
        }
        int positions = config.MaxPositionEmbeddings;
        int context = options.Context > 0 ? options.Context : Math.Min(InferenceDefaults.ContextPerThread, positions);
        try
        {
            if (context > positions) throw new InferenceSetupException($"the context {context} exceeds the model's context {positions}", badSetting: true);
            if (model is not null && options.Backend is null) MemoryBudget.Check($"a KV cache of {options.Slots} slots x {context} tokens", KvCache.Bytes(model.Config, options.Slots, context));
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        return new InferenceSession(dir, model, tokenizer, conditioning, context, options.Slots, options.Backend);
    }

    /// <summary>A session with no model, for the line policies (enumerate, random, uniform): the default tokenizer over a NullDecoder.</summary>
    public static InferenceSession NoModel(SessionOptions? options = null)
    {
        options = (options ?? new SessionOptions()).Validate();
        int context = options.Context > 0 ? options.Context : InferenceDefaults.ContextPerThread;
        return new InferenceSession(null, null, TraceTokenizer.Default, ModelConditioning.None, context, options.Slots);
    }

    /// <summary>The model of <paramref name="method"/> to use when none is named: $APR_MODEL (if <paramref name="useEnvironment"/>), else the shipped models/&lt;method&gt;.</summary>
    public static string? DefaultModel(SearchMethod method, bool useEnvironment = true) => ModelLoader.Default(method, useEnvironment);

    /// <summary>A runtime over this session's decoder and tokenizer.</summary>
    public AprRuntime Runtime(SolveOptions options) => Backend is { } backend
        ? new(backend.NewEngine(Tokenizer, Context, Slots, options.Method), Tokenizer, options)
        : new(Decoder, Tokenizer, options);

    /// <summary>Torch's intra-op thread count is process-wide (TorchProcess owns it); 0 = every core.</summary>
    public static void SetTorchThreads(int threads) => TorchProcess.SetThreads(threads);

    public void Dispose()
    {
        _decoder?.Dispose();
        _decoder = null;
        Model?.Dispose();
    }
}

/// <summary>
/// A session could not be set up; the message is one line. <see cref="BadSetting"/>: the caller asked for
/// something the model cannot do (a context past its positions), as opposed to a missing or bad model file.
/// </summary>
public sealed class InferenceSetupException(string message, Exception? inner = null, bool badSetting = false) : Exception(message, inner)
{
    public bool BadSetting { get; } = badSetting;
}
