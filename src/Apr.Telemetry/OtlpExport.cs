// OtlpExport: the OpenTelemetry tracer provider `--otlp-endpoint URL` starts for solve, eval and serve: the
// ProblemTraces source, service name "apr", exported over OTLP to any collector (Jaeger, the Aspire
// dashboard, an OpenTelemetry Collector). The protocol follows the URL, as collectors listen: a path ending
// in /v1/traces means OTLP over HTTP (protobuf, usually port 4318); anything else OTLP over gRPC (usually
// port 4317). Spans are batched; disposing the provider flushes them (the verbs dispose it before exiting).
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Apr.Telemetry;

public static class OtlpExport
{
    /// <summary>Why <paramref name="endpoint"/> is not an OTLP endpoint URL, or null when it is one.</summary>
    public static string? Check(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? null
            : $"an OTLP endpoint is an http(s) URL such as http://localhost:4317 (gRPC) or http://localhost:4318/v1/traces (HTTP), got '{endpoint}'";

    /// <summary>True when <paramref name="endpoint"/> is spoken to over OTLP/HTTP (its path ends in /v1/traces), false for gRPC.</summary>
    public static bool IsHttp(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1/traces", StringComparison.Ordinal);
    }

    /// <summary>A tracer provider exporting ProblemTraces to <paramref name="endpoint"/>; dispose it to flush.</summary>
    public static TracerProvider Start(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (Check(endpoint) is { } why) throw new FormatException(why);
        var uri = new Uri(endpoint);
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService("apr"))
            .AddSource(ProblemTraces.SourceName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = uri;
                o.Protocol = IsHttp(uri) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            })
            .Build();
    }
}
