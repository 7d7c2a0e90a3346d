// ChatEndpoint: POST /v1/chat/completions, the reasoner. Reads the request (ChatRequest), takes a running
// place (RequestGate; 429 when the queue is full), hands the problem's samples to the engine loop and
// answers with the verified answers (ChatJson), or streams: one chunk per call start and end (a line of
// reasoning text plus "apr_event"), then each sample's answer with its record, the usage if asked, and
// [DONE]. A client that goes away cancels its job, which frees its slots.
using System.Text.Json.Nodes;
using Apr.Inference;
using Microsoft.AspNetCore.Http;

namespace Apr.Serving;

internal static class ChatEndpoint
{
    public static async Task HandleAsync(HttpContext ctx, ServerState state)
    {
        var cancel = ctx.RequestAborted;
        var body = await JsonRequest.ReadObjectAsync(ctx.Request, state.Options.MaxBodyBytes, cancel).ConfigureAwait(false);
        var request = ChatRequest.Parse(body, state);
        using var lease = await state.EnterAsync(cancel).ConfigureAwait(false);
        var job = state.Loop.SubmitChat(request.Model, request.Items());
        bool finished = false;
        try
        {
            string id = "chatcmpl-" + Guid.NewGuid().ToString("N");
            long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var records = new ProblemRecord[request.N];
            if (!request.Stream)
            {
                await foreach (var e in job.Events.ReadAllAsync(cancel).ConfigureAwait(false))
                    if (e.Record is { } r) records[e.Sample] = r;
                finished = true;
                Served(ctx, state, records);
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(ChatJson.Completion(id, created, request, records).ToJsonString(), cancel).ConfigureAwait(false);
                return;
            }
            await Sse.StartAsync(ctx.Response).ConfigureAwait(false);
            var first = new JsonArray();
            for (int s = 0; s < request.N; s++) first.Add(ChatJson.Choice(s, new JsonObject { ["role"] = "assistant", ["content"] = "" }));
            await Sse.WriteAsync(ctx.Response, ChatJson.Chunk(id, created, request.Model.Id, first), cancel).ConfigureAwait(false);
            await foreach (var e in job.Events.ReadAllAsync(cancel).ConfigureAwait(false))
            {
                JsonObject chunk;
                if (e.Progress is { } p)
                {
                    var (evt, line) = ChatJson.Progress(e.Sample, p);
                    chunk = ChatJson.Chunk(id, created, request.Model.Id, [ChatJson.Choice(e.Sample, new JsonObject { ["reasoning_content"] = line })]);
                    chunk["apr_event"] = evt;
                }
                else
                {
                    var r = e.Record!;
                    records[e.Sample] = r;
                    var choice = ChatJson.Choice(e.Sample, new JsonObject { ["content"] = ChatJson.Answer(request.Problem, r) }, ChatJson.FinishReason(r));
                    choice["apr"] = ChatJson.Record(request, r);
                    chunk = ChatJson.Chunk(id, created, request.Model.Id, [choice]);
                }
                await Sse.WriteAsync(ctx.Response, chunk, cancel).ConfigureAwait(false);
            }
            finished = true;
            Served(ctx, state, records);
            if (request.IncludeUsage)
            {
                var usage = ChatJson.Chunk(id, created, request.Model.Id, []);
                usage["usage"] = ChatJson.UsageJson(ChatJson.Usage(records));
                await Sse.WriteAsync(ctx.Response, usage, cancel).ConfigureAwait(false);
            }
            await Sse.DoneAsync(ctx.Response, cancel).ConfigureAwait(false);
        }
        finally
        {
            if (!finished) state.Loop.Cancel(job);
        }
    }

    private static void Served(HttpContext ctx, ServerState state, IReadOnlyList<ProblemRecord> records)
    {
        var usage = ChatJson.Usage(records);
        state.Metrics.Tokens(usage.Prompt, usage.Completion);
        ctx.Items[ServerApp.UsageKey] = usage;
    }
}
