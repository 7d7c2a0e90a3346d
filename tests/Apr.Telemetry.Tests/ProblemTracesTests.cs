// ProblemTraces against real runs (records of the shipped models' committed evaluation: an APR root that
// spawns children, joins them and resumes; a SoS+ run stopped by its budget), collected by OpenTelemetry's in-memory exporter: one trace per problem, a
// span per call with its parent the spawning call, the record's tokens and outcome as attributes, and
// times placed from the record. Then the OTLP export itself: OTLP/HTTP posted to a local listener.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Apr.Inference;
using Apr.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Apr.Telemetry.Tests;

public sealed class ProblemTracesTests
{
    /// <summary>A record of the shipped models' committed evaluation (bench/results/eval/frontier) that <paramref name="keep"/> accepts.</summary>
    private static ProblemRecord Recorded(string condition, Func<ProblemRecord, bool> keep) =>
        File.ReadLines(Path.Combine(TestPaths.RepoRoot, "bench", "results", "eval", "frontier", "records", condition + ".jsonl"))
            .Select(ProblemRecordReader.Parse).First(keep);

    /// <summary>The APR model's first record that spawned, joined and resumed its root.</summary>
    private static ProblemRecord Solve() => Recorded("apr-model-b16000", r => r.Correct && r.Calls.Any(c => c.Thread == "0" && c.Call == 1));

    [Fact]
    public void A_problem_is_one_trace_with_a_span_per_call_whose_parent_is_the_spawning_call()
    {
        var record = Solve();
        Assert.True(record.Spawns > 0 && record.Calls.Any(c => c.Thread == "0" && c.Call == 1), "the run should spawn and resume");
        var spans = new List<Activity>();
        var finished = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(ProblemTraces.SourceName).AddInMemoryExporter(spans).Build())
            ProblemTraces.Emit(record, finished);

        Assert.Equal(record.Calls.Count + 1, spans.Count);
        Assert.Single(spans.Select(s => s.TraceId).Distinct());
        var problem = Assert.Single(spans, s => s.ParentSpanId == default);
        Assert.Equal(ActivityStatusCode.Ok, problem.Status);
        Assert.Equal(record.TotalTokens, (long)problem.GetTagItem("apr.total_tokens")!);
        Assert.Equal(record.SequentialTokens, (long)problem.GetTagItem("apr.sequential_tokens")!);
        Assert.Equal(finished.UtcDateTime, problem.StartTimeUtc + problem.Duration);

        var start = finished.UtcDateTime - TimeSpan.FromMilliseconds(record.LatencyMs!.Value);
        var byCall = spans.Where(s => s != problem).ToDictionary(s => ((string)s.GetTagItem("apr.thread")!, (int)s.GetTagItem("apr.call")!));
        foreach (var call in record.Calls)
        {
            var span = byCall[(call.Thread, call.Call)];
            Assert.Equal(call.Tokens.Count, (int)span.GetTagItem("apr.completion_tokens")!);
            Assert.Equal(call.SampledTokens, (int)span.GetTagItem("apr.sampled_tokens")!);
            Assert.Equal(call.NodeId, span.GetTagItem("apr.node"));
            Assert.Equal(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(call.Outcome.ToString()), span.GetTagItem("apr.outcome"));
            Assert.Equal(start + TimeSpan.FromMilliseconds(call.StartMs), span.StartTimeUtc, TimeSpan.FromTicks(1));
            Assert.Equal(start + TimeSpan.FromMilliseconds(call.EndMs), span.StartTimeUtc + span.Duration, TimeSpan.FromTicks(2));
            // The parent: the problem for the root thread; for a child thread, its parent thread's call that spawned it.
            var expected = call.Parent is null ? problem
                : byCall[(call.Parent, record.Calls.Where(p => p.Thread == call.Parent && p.SpawnedChildren > 0 && p.EndStep <= call.StartStep).Max(p => p.Call))];
            Assert.Equal(expected.SpanId, span.ParentSpanId);
        }
    }

    [Fact]
    public void A_problem_without_a_verified_answer_is_an_error_span_naming_its_outcome()
    {
        var record = Recorded("sosp-model-told-b1000", r => r.Outcome == ThreadOutcome.TokenLimit);
        var spans = new List<Activity>();
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(ProblemTraces.SourceName).AddInMemoryExporter(spans).Build())
            ProblemTraces.Emit(record, DateTimeOffset.UtcNow);
        var problem = Assert.Single(spans, s => s.ParentSpanId == default);
        Assert.Equal(ActivityStatusCode.Error, problem.Status);
        Assert.Contains("token_limit", problem.StatusDescription);
    }

    [Fact]
    public void The_trace_is_its_own_even_inside_another_activity_and_nothing_is_made_without_a_listener()
    {
        var record = Solve();
        Assert.Null(ProblemTraces.Emit(record, DateTimeOffset.UtcNow));
        var spans = new List<Activity>();
        using var outerSource = new ActivitySource("test.outer");
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(ProblemTraces.SourceName, "test.outer").AddInMemoryExporter(spans).Build())
        {
            using var outer = outerSource.StartActivity("request")!;
            var problem = ProblemTraces.Emit(record, DateTimeOffset.UtcNow)!;
            Assert.NotEqual(outer.TraceId, problem.TraceId);
            Assert.Same(outer, Activity.Current);
        }
    }

    [Fact]
    public async Task The_OTLP_HTTP_exporter_posts_the_trace_to_a_collector()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; }
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = Task.Run(async () =>
        {
            var ctx = await collector.GetContextAsync();
            using var body = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(body);
            var request = (ctx.Request.HttpMethod, ctx.Request.Url!.AbsolutePath, ctx.Request.ContentType, body.ToArray());
            ctx.Response.StatusCode = 200;
            ctx.Response.Close();
            return request;
        });
        var record = Solve();
        using (var provider = OtlpExport.Start($"http://127.0.0.1:{port}/v1/traces"))
            ProblemTraces.Emit(record, DateTimeOffset.UtcNow); // disposing flushes the batch
        var (method, path, type, bytes) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(("POST", "/v1/traces", "application/x-protobuf"), (method, path, type));
        var text = Encoding.UTF8.GetString(bytes);
        foreach (var call in record.Calls) Assert.Contains($"thread {call.Thread} call {call.Call}", text);
        Assert.Contains("apr.sequential_tokens", text);
    }

    [Theory]
    [InlineData("http://localhost:4317", true, false)]
    [InlineData("https://collector.example:4318/v1/traces", true, true)]
    [InlineData("localhost:4317", false, false)]
    [InlineData("ftp://x/v1/traces", false, false)]
    [InlineData("not a url", false, false)]
    public void An_endpoint_is_an_http_url_and_its_path_picks_the_protocol(string endpoint, bool valid, bool http)
    {
        Assert.Equal(valid, OtlpExport.Check(endpoint) is null);
        if (valid) Assert.Equal(http, OtlpExport.IsHttp(new Uri(endpoint)));
        else Assert.Contains(endpoint, OtlpExport.Check(endpoint));
    }
}
