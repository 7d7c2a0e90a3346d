// AprChatClient: the reasoner as a Microsoft.Extensions.AI IChatClient, in process (no HTTP): the last
// user message names a Countdown problem (as for /v1/chat/completions), the engine loop solves it and
// the verified answer is the response text (with n samples: the majority answer, cons@n), the thread tree
// its reasoning, every thread's tokens its usage, and the records its RawRepresentation. Streaming yields
// one update per call start and end (reasoning text; "apr_event" in AdditionalProperties), then the
// answer. ChatOptions map as on the server: Temperature (default greedy), TopP, TopK, Seed, MaxOutputTokens
// (the total-token budget of all threads), ModelId ("apr" or "sosp"); AdditionalProperties "method"
// (same as ModelId) and "samples" (n). A message that names no problem is an ArgumentException.
using System.Runtime.CompilerServices;
using Apr.Inference;
using Microsoft.Extensions.AI;

namespace Apr.Serving;

public sealed class AprChatClient : IChatClient
{
    public const string MethodKey = "method", SamplesKey = "samples";

    private readonly EngineLoop _loop;
    private readonly bool _ownsLoop;
    private readonly int _maxSamples;

    /// <summary>A client over an existing loop (shared with a server, say); it does not dispose the loop.</summary>
    public AprChatClient(EngineLoop loop, int maxSamples = 16) : this(loop, maxSamples, owns: false) { }

    private AprChatClient(EngineLoop loop, int maxSamples, bool owns)
    {
        _loop = loop ?? throw new ArgumentNullException(nameof(loop));
        _maxSamples = maxSamples;
        _ownsLoop = owns;
    }

    /// <summary>A client that loads the models <paramref name="options"/> names and owns its engine loop.</summary>
    public static AprChatClient Create(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AprChatClient(new EngineLoop(ServedModel.LoadAll(options.Validate())), options.MaxN, owns: true);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = Request(messages, options);
        var records = new ProblemRecord[request.N];
        await foreach (var _ in Run(request, records, cancellationToken).ConfigureAwait(false)) { }
        var chosen = Chosen(records);
        var message = new ChatMessage(ChatRole.Assistant, [new TextReasoningContent(ChatJson.Reasoning(chosen)), new TextContent(ChatJson.Answer(request.Problem, chosen))]);
        return new ChatResponse(message)
        {
            ModelId = request.Model.Id,
            FinishReason = new ChatFinishReason(ChatJson.FinishReason(chosen)),
            Usage = Usage(records),
            RawRepresentation = records,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = Request(messages, options);
        var records = new ProblemRecord[request.N];
        await foreach (var (sample, progress) in Run(request, records, cancellationToken).ConfigureAwait(false))
        {
            var (evt, line) = ChatJson.Progress(sample, progress);
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent(line)])
            {
                ModelId = request.Model.Id,
                AdditionalProperties = new() { ["apr_event"] = evt.ToJsonString() },
            };
        }
        var chosen = Chosen(records);
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new TextContent(ChatJson.Answer(request.Problem, chosen)), new UsageContent(Usage(records))])
        {
            ModelId = request.Model.Id,
            FinishReason = new ChatFinishReason(ChatJson.FinishReason(chosen)),
            RawRepresentation = records,
        };
    }

    /// <summary>
    /// Runs the request's samples on the engine loop: yields each call start and end, and fills
    /// <paramref name="records"/> as samples finish. A caller that stops early (or is cancelled) cancels the job, freeing its slots.
    /// </summary>
    private async IAsyncEnumerable<(int Sample, RuntimeProgress Progress)> Run(ChatRequest request, ProblemRecord[] records,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var job = _loop.SubmitChat(request.Model, request.Items());
        bool finished = false;
        try
        {
            await foreach (var e in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (e.Progress is { } p) yield return (e.Sample, p);
                else records[e.Sample] = e.Record!;
            }
            finished = true;
        }
        finally
        {
            if (!finished) _loop.Cancel(job);
        }
    }

    private static UsageDetails Usage(ProblemRecord[] records)
    {
        var (prompt, completion) = ChatJson.Usage(records);
        return new UsageDetails { InputTokenCount = prompt, OutputTokenCount = completion, TotalTokenCount = prompt + completion };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return new ChatClientMetadata("apr", null, "apr");
        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(_loop) ? _loop : null;
    }

    public void Dispose()
    {
        if (_ownsLoop) _loop.Dispose();
    }

    /// <summary>The record whose answer is the response: the only one, or the first of the majority answer (cons@n).</summary>
    private static ProblemRecord Chosen(ProblemRecord[] records)
    {
        if (records.Length == 1) return records[0];
        var majority = MultiSample.Aggregate(records)[0].MajorityAnswer;
        return majority is null ? records[0] : records.First(r => r.Answer is { } a && a.SequenceEqual(majority));
    }

    private ChatRequest Request(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text
            ?? throw new ArgumentException($"no user message: expected one naming {ProblemText.Expected}", nameof(messages));
        var props = options?.AdditionalProperties;
        var id = props?.TryGetValue(MethodKey, out var m) == true && m is string method ? method : options?.ModelId ?? "apr";
        var model = _loop.Find(id) ?? throw new ArgumentException($"the model '{id}' is not loaded; loaded: {string.Join(", ", _loop.Models.Select(x => x.Id))}", nameof(options));
        int n = props?.TryGetValue(SamplesKey, out var s) == true ? Convert.ToInt32(s, System.Globalization.CultureInfo.InvariantCulture) : 1;
        if (n < 1 || n > _maxSamples) throw new ArgumentOutOfRangeException(nameof(options), n, $"samples must be 1..{_maxSamples}");
        if (options?.MaxOutputTokens is < 16) throw new ArgumentOutOfRangeException(nameof(options), options.MaxOutputTokens, "MaxOutputTokens (the total-token budget) must be at least 16");
        try
        {
            var problem = ProblemText.Parse(text);
            var sampling = new SamplingOptions(options?.Temperature ?? 0, options?.TopK ?? 0, options?.TopP ?? 1).Validate();
            return new ChatRequest(model, problem, sampling, options?.Seed is { } seed ? unchecked((ulong)seed) : (ulong)Random.Shared.NextInt64(), n, options?.MaxOutputTokens, false, false);
        }
        catch (ApiError e)
        {
            throw new ArgumentException(e.Message, nameof(messages), e);
        }
    }
}
