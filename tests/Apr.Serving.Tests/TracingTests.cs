// The server's engine loop writes each finished problem as a trace (what --otlp-endpoint exports): with a
// tracer provider on the "Apr" source, a chat of n samples gives n problem spans, each with a span per call
// of its record.
using System.Diagnostics;
using Apr.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Apr.Serving.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task Each_served_problem_is_a_trace_with_a_span_per_call()
    {
        var spans = new List<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(ProblemTraces.SourceName).AddInMemoryExporter(spans).Build();
        await using var server = await TestServerApp.StartAsync();
        var (status, body) = await server.PostAsync("/v1/chat/completions", """{"n":2,"seed":4,"messages":[{"role":"user","content":"Reach 27 from 22, 26, 31, 53"}]}""");
        Assert.Equal(200, status);
        provider.ForceFlush();
        var problems = spans.Where(s => s.ParentSpanId == default).ToList();
        Assert.Equal(2, problems.Count);
        foreach (var choice in body["choices"]!.AsArray())
        {
            var record = choice!["apr"]!;
            var trace = problems.Single(p => (int)p.GetTagItem("apr.sample")! == (int)record["sample"]!).TraceId;
            Assert.Equal(record["threads"]!.AsArray().Count, spans.Count(s => s.TraceId == trace && s.ParentSpanId != default));
            Assert.Equal((long)record["total_tokens"]!, (long)problems.Single(p => p.TraceId == trace).GetTagItem("apr.total_tokens")!);
        }
    }
}
