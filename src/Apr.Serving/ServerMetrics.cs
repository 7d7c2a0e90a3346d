// ServerMetrics: the server's counters, written as Prometheus text at /metrics: requests by endpoint and
// status, prompt and completion tokens served, requests running and waiting, and per model the engine's
// KV-cache slots in use, problems waiting and running, plain calls, steps and tokens fed. Counters are
// updated with Interlocked from request threads; the engine's figures come from EngineLoop.Counters.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Apr.Serving;

public sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<(string Endpoint, int Status), long> _requests = new();
    private long _promptTokens, _completionTokens;

    public void Request(string endpoint, int status) => _requests.AddOrUpdate((endpoint, status), 1, (_, n) => n + 1);

    public void Tokens(long prompt, long completion)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _completionTokens, completion);
    }

    public long RequestCount(string endpoint, int status) => _requests.TryGetValue((endpoint, status), out var n) ? n : 0;

    public string Render(RequestGate gate, EngineLoop loop)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(loop);
        var sb = new StringBuilder();
        void Head(string name, string type, string help) => sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        void Line(string name, string labels, double value) => sb.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Head("apr_requests_total", "counter", "HTTP requests by endpoint and status.");
        foreach (var ((endpoint, status), n) in _requests.OrderBy(k => k.Key.Endpoint, StringComparer.Ordinal).ThenBy(k => k.Key.Status))
            Line("apr_requests_total", $"endpoint=\"{endpoint}\",status=\"{status}\"", n);
        Head("apr_prompt_tokens_total", "counter", "Prompt tokens of served requests (chat: every thread's new prompt tokens).");
        Line("apr_prompt_tokens_total", "", Interlocked.Read(ref _promptTokens));
        Head("apr_completion_tokens_total", "counter", "Completion tokens of served requests (chat: every thread's).");
        Line("apr_completion_tokens_total", "", Interlocked.Read(ref _completionTokens));
        Head("apr_requests_running", "gauge", "Requests holding a running place.");
        Line("apr_requests_running", "", gate.Running);
        Head("apr_queue_length", "gauge", "Requests waiting for a running place.");
        Line("apr_queue_length", "", gate.Waiting);
        var lanes = loop.Counters;
        void PerModel(string name, string type, string help, Func<LaneCounters, double> value)
        {
            Head(name, type, help);
            foreach (var c in lanes) Line(name, $"model=\"{c.Model}\"", value(c));
        }
        PerModel("apr_kv_slots", "gauge", "KV-cache slots per model.", c => c.Slots);
        PerModel("apr_kv_slots_in_use", "gauge", "KV-cache slots held by running or parked calls.", c => c.SlotsInUse);
        PerModel("apr_problems_pending", "gauge", "Chat problems waiting to start in the engine.", c => c.ProblemsPending);
        PerModel("apr_problems_in_flight", "gauge", "Chat problems running in the engine.", c => c.ProblemsInFlight);
        PerModel("apr_plain_calls", "gauge", "Completion calls running or queued in the engine.", c => c.PlainCalls);
        PerModel("apr_engine_steps_total", "counter", "Engine steps (one batched forward each).", c => c.Steps);
        PerModel("apr_engine_tokens_fed_total", "counter", "Tokens appended to the KV cache (prefill and decode).", c => c.TokensFed);
        return sb.ToString();
    }
}
