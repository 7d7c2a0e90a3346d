// ServeCommand: `apr serve --port 8000`: the OpenAI-compatible server (Apr.Serving) over the shipped model
// or --model DIR, loopback unless --host opens it. Wiring only: options into ServeOptions; the server,
// its engine loop and limits live in Apr.Serving. The APR model is decoded with its manifest's value (or
// --value-model / --value-weight, as `apr solve`). Runs until SIGTERM or Ctrl+C, then drains.
using System.CommandLine;
using Apr.Inference;
using Apr.Serving;

namespace Apr.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var d = new ServeOptions();
        var port = Options.Int("--port", "TCP port to listen on (0 = any free port)", d.Port, 0, 65535);
        var host = new Option<string>("--host") { Description = "address to listen on (default loopback; 0.0.0.0 opens it to the network)", DefaultValueFactory = _ => d.Host };
        var model = new Option<DirectoryInfo?>("--model") { Description = "the APR model directory (default: the shipped model, or $APR_MODEL)" };
        var sospModel = new Option<DirectoryInfo?>("--sosp-model") { Description = "a SoS+ model directory, served as model \"sosp\" (default: none)" };
        var policy = new Option<string>("--policy") { Description = "model; or a no-model policy (enumerate, random, uniform) serving apr and sosp without loading a model", DefaultValueFactory = _ => "model" };
        policy.AcceptOnlyFromAmong("model", "uniform", "random", "enumerate");
        var threads = Options.Threads("CPU threads for the model");
        var slots = Options.Int("--slots", "KV-cache slots per model: threads decoded at once across all requests", d.Slots, 1, 4096);
        var context = Options.Int("--context", $"tokens per thread (0 = {InferenceDefaults.ContextPerThread:N0} or the model's context if smaller)", 0, 0, 1_000_000);
        var maxConcurrent = Options.Int("--max-concurrent", "requests running at once", d.MaxConcurrentRequests, 1, 100_000);
        var maxQueue = Options.Int("--max-queue", "requests waiting for a running place; past it: 429 with Retry-After", d.MaxQueuedRequests, 0, 1_000_000);
        var maxBody = Options.Int("--max-body-bytes", "largest request body; past it: 413", (int)d.MaxBodyBytes, 64, int.MaxValue);
        var otlp = Options.OtlpEndpoint();
        var maxLogprobs = Options.Int("--max-logprobs", "largest 'logprobs' a completion may ask for (vLLM's option; the guided remote backend asks for every choice of a decision)", d.MaxLogprobs, 0, 1_000_000);
        var valueGuide = new ValueGuideOptions();
        var drain = Options.Int("--drain-seconds", "on SIGTERM, how long to wait for requests in flight", (int)d.DrainTimeout.TotalSeconds, 0, 3600);
        var cmd = new Command("serve", "Serve the models over an OpenAI-compatible HTTP API: /v1/chat/completions (the reasoner), /v1/completions (the plain model), /v1/models, /health, /metrics; and a live view of the threads of a solve at / in a browser.")
        {
            port, host, model, sospModel, policy, threads, slots, context, maxConcurrent, maxQueue, maxBody, maxLogprobs, drain, otlp,
        };
        valueGuide.AddTo(cmd);
        cmd.SetAction(r =>
        {
            if (r.GetValue(valueGuide.Model) == ValueGuideOptions.None) valueGuide.Load(r, null); // refuses --value-weight before the model loads
            var options = new ServeOptions
            {
                Port = r.GetValue(port),
                Host = r.GetValue(host)!,
                AprModel = r.GetValue(model)?.FullName,
                SospModel = r.GetValue(sospModel)?.FullName,
                Policy = ChoicePolicies.Parse(r.GetValue(policy)!),
                Threads = r.GetValue(threads),
                Slots = r.GetValue(slots),
                Context = r.GetValue(context),
                MaxConcurrentRequests = r.GetValue(maxConcurrent),
                MaxQueuedRequests = r.GetValue(maxQueue),
                MaxBodyBytes = r.GetValue(maxBody),
                MaxLogprobs = r.GetValue(maxLogprobs),
                DrainTimeout = TimeSpan.FromSeconds(r.GetValue(drain)),
                OtlpEndpoint = r.GetValue(otlp),
                AprValue = c => valueGuide.Load(r, c),
            };
            ServerApp.RunAsync(options, r.InvocationConfiguration.Output).GetAwaiter().GetResult();
            return 0;
        });
        return cmd;
    }
}
