// ServedModel: one model the server answers for ("apr" or "sosp"): its inference session (the one
// composition root: model, tokenizer, context, slots), its method, the runtime options every problem
// runs under, and the manifest shown by /v1/models. A no-model policy gives a session over a NullDecoder.
// A model whose manifest links a value (ValueGuide.Linked) is decoded with it, as `apr solve` decodes it, unless
// the server's options (ServeOptions.AprValue: the CLI's --value-model) say otherwise. It builds runtimes but does
// not step them: EngineLoop does, on its own thread.
using System.Text.Json.Nodes;
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Serving;

public sealed class ServedModel : IDisposable
{
    private ServedModel(string id, SearchMethod method, ChoicePolicy policy, InferenceSession session, JsonObject? manifest, ValueGuide? value = null)
    {
        Value = value;
        Id = id;
        Method = method;
        Policy = policy;
        Session = session;
        Manifest = manifest;
        Options = new SolveOptions(method, Guided: true, policy, Guards: GuardOptions.Default with { ContextPerThread = session.Context }, Value: value,
            TellChildren: session.Conditioning.BudgetChildren).Validate();
    }

    /// <summary>The learned value that weighs the model's choices among states, or null.</summary>
    public ValueGuide? Value { get; }

    /// <summary>The name clients pass as "model": the method's wire name.</summary>
    public string Id { get; }
    public SearchMethod Method { get; }
    public ChoicePolicy Policy { get; }
    public InferenceSession Session { get; }

    /// <summary>The model directory's manifest.json, or null (no manifest, or no model).</summary>
    public JsonObject? Manifest { get; }

    /// <summary>What every problem of this model runs under (sampling and budget come per request).</summary>
    public SolveOptions Options { get; }

    /// <summary>A fresh runtime on the session's decoder.</summary>
    public AprRuntime NewRuntime() => Session.Runtime(Options);

    /// <summary>
    /// Loads the model for <paramref name="method"/>: <paramref name="path"/>, else the default one (when
    /// <paramref name="policy"/> is Model), or a no-model session. Errors are InferenceSetupExceptions (one line).
    /// </summary>
    public static ServedModel Load(SearchMethod method, string? path, ChoicePolicy policy, SessionOptions sizing, Func<ModelConditioning, ValueGuide?>? values = null)
    {
        ArgumentNullException.ThrowIfNull(sizing);
        if (policy != ChoicePolicy.Model) return new ServedModel(method.WireName(), method, policy, InferenceSession.NoModel(sizing), null);
        var dir = path ?? InferenceSession.DefaultModel(method)
            ?? throw new InferenceSetupException($"no {method.WireName()} model: pass --model DIR, or --policy enumerate for a no-model server");
        var session = InferenceSession.Load(dir, sizing);
        JsonObject? manifest = null;
        var file = Path.Combine(session.ModelDirectory!, ModelManifest.FileName);
        if (File.Exists(file))
        {
            try { manifest = JsonNode.Parse(File.ReadAllText(file), documentOptions: Core.Json.Strict) as JsonObject; }
            catch (System.Text.Json.JsonException e)
            {
                session.Dispose();
                throw new InferenceSetupException($"{file}: {e.Message}", e);
            }
        }
        ValueGuide? value = null;
        try { value = (values ?? ValueGuide.Linked).Invoke(session.Conditioning); }
        catch (Exception e)
        {
            session.Dispose();
            // A ranker that does not load (ValueGuide.Load); the CLI's own usage errors pass as they are.
            if (e is ArgumentException or InvalidDataException or IOException) throw new InferenceSetupException($"{session.ModelDirectory}: its value: {e.Message}", e);
            throw;
        }
        return new ServedModel(method.WireName(), method, policy, session, manifest, value);
    }

    /// <summary>The models <paramref name="options"/> names: apr always; sosp when a SoS+ model is given or no model is used.</summary>
    public static List<ServedModel> LoadAll(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sizing = new SessionOptions(options.Threads, options.Slots, options.Context);
        var models = new List<ServedModel> { Load(SearchMethod.Apr, options.AprModel, options.Policy, sizing, options.AprValue) };
        try
        {
            if (options.Policy != ChoicePolicy.Model || options.SospModel is not null)
                models.Add(Load(SearchMethod.SosPlus, options.SospModel, options.Policy, sizing));
        }
        catch
        {
            models.ForEach(m => m.Dispose());
            throw;
        }
        return models;
    }

    public void Dispose()
    {
        Value?.Dispose();
        Session.Dispose();
    }
}
