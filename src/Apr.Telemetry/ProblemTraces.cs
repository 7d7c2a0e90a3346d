// ProblemTraces: a solved problem as an OpenTelemetry trace, made from its finished record: one root span
// for the problem ("solve apr 27 from [22, 26, 31, 53]") and one span per thread call, whose parent is the
// call that spawned its thread (the root thread's calls hang off the problem span). Times come from the
// record (each call's start and end in ms since the problem started) placed against the moment the
// problem finished, so spans are exact relative to each other and as exact as that moment in absolute
// time. Spans are written after the fact rather than opened and closed live: the runtime stays free of
// tracing, and a record read back from a file gives the same trace. Attributes carry tokens, outcome, node
// and steps (names under "apr."). Status: the problem span is Ok when its answer verified, Error (with the
// outcome) otherwise; call spans stay Unset (a child that finds no solution is normal search).
// Nothing is created when no listener (an OpenTelemetry TracerProvider with this source) is attached.
using System.Diagnostics;
using Apr.Inference;
using Apr.Protocol;

namespace Apr.Telemetry;

public static class ProblemTraces
{
    /// <summary>The ActivitySource name to subscribe to (TracerProviderBuilder.AddSource).</summary>
    public const string SourceName = "Apr";

    private static readonly ActivitySource Source = new(SourceName, typeof(ProblemTraces).Assembly.GetName().Version?.ToString());

    /// <summary>Writes <paramref name="record"/> as a trace; <paramref name="finished"/>: when the problem ended. Returns the problem span (stopped), or null when nobody listens.</summary>
    public static Activity? Emit(ProblemRecord record, DateTimeOffset finished)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Source.HasListeners()) return null;
        double length = record.LatencyMs ?? (record.Calls.Count == 0 ? 0 : record.Calls.Max(c => c.EndMs));
        var start = finished - TimeSpan.FromMilliseconds(length);
        var outer = Activity.Current;
        Activity.Current = null; // a problem is its own trace, whatever the caller is inside
        try
        {
            using var problem = Source.StartActivity($"solve {record.Method.WireName()} {record.Target} from [{string.Join(", ", record.Nums)}]", ActivityKind.Internal, default(ActivityContext), startTime: start);
            if (problem is null) return null;
            problem.SetTag("apr.problem.id", record.Id);
            problem.SetTag("apr.sample", record.Sample);
            problem.SetTag("apr.method", record.Method.WireName());
            problem.SetTag("apr.target", record.Target);
            problem.SetTag("apr.nums", record.Nums.ToArray());
            problem.SetTag("apr.answer", record.Answer is null ? null : string.Join(", ", record.Answer));
            problem.SetTag("apr.correct", record.Correct);
            problem.SetTag("apr.outcome", Name(record.Outcome));
            problem.SetTag("apr.budget", record.Budget);
            problem.SetTag("apr.total_tokens", record.TotalTokens);
            problem.SetTag("apr.sequential_tokens", record.SequentialTokens);
            problem.SetTag("apr.children", record.Children);
            problem.SetTag("apr.spawns", record.Spawns);
            problem.SetTag("apr.threads", record.Threads);
            problem.SetTag("apr.steps", record.Steps);
            problem.SetStatus(record.Correct ? ActivityStatusCode.Ok : ActivityStatusCode.Error, record.Correct ? null : $"no verified answer: {Name(record.Outcome)}");
            var spawner = Spawners(record);
            var spans = new Dictionary<(string, int), ActivityContext>();
            // Parents before children: a thread's spawning call always starts no later than its children.
            foreach (var call in record.Calls.OrderBy(c => c.StartStep).ThenBy(c => c.Level).ThenBy(c => c.StartMs))
            {
                var parent = spawner.TryGetValue(call.Thread, out var key) && spans.TryGetValue(key, out var ctx) ? ctx : problem.Context;
                using var span = Source.StartActivity($"thread {call.Thread} call {call.Call}", ActivityKind.Internal, parent, startTime: start + TimeSpan.FromMilliseconds(call.StartMs));
                if (span is null) continue;
                span.SetTag("apr.thread", call.Thread);
                span.SetTag("apr.parent_thread", call.Parent);
                span.SetTag("apr.call", call.Call);
                span.SetTag("apr.level", call.Level);
                span.SetTag("apr.node", call.NodeId);
                span.SetTag("apr.outcome", Name(call.Outcome));
                span.SetTag("apr.detail", call.Detail);
                span.SetTag("apr.children", call.SpawnedChildren);
                span.SetTag("apr.prompt_tokens", call.PromptTokens);
                span.SetTag("apr.completion_tokens", call.Tokens.Count);
                span.SetTag("apr.sampled_tokens", call.SampledTokens);
                span.SetTag("apr.inserted_tokens", call.InsertedTokens);
                span.SetTag("apr.start_step", call.StartStep);
                span.SetTag("apr.end_step", call.EndStep);
                span.SetEndTime((start + TimeSpan.FromMilliseconds(Math.Max(call.EndMs, call.StartMs))).UtcDateTime);
                spans[(call.Thread, call.Call)] = span.Context;
            }
            problem.SetEndTime(finished.UtcDateTime);
            return problem;
        }
        finally
        {
            Activity.Current = outer;
        }
    }

    /// <summary>Each child thread's spawning call (thread, call), as the record stores it: a call's children are its thread's next child ids.</summary>
    private static Dictionary<string, (string, int)> Spawners(ProblemRecord record)
    {
        var spawner = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        foreach (var thread in record.Calls.GroupBy(c => c.Thread))
        {
            int next = 0;
            foreach (var call in thread.OrderBy(c => c.Call))
                for (int i = 0; i < call.SpawnedChildren; i++) spawner[TraceTree.ChildThread(call.Thread, next++)] = (call.Thread, call.Call);
        }
        return spawner;
    }

    private static string Name(ThreadOutcome outcome) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());
}
