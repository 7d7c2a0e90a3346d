// ExportCommand: `apr export --from RUN --out models/NAME [--recipe FILE] [--eval summary.json]`: turns a
// training (or RL) run's latest checkpoint into a shippable model directory: model.safetensors,
// config.json, tokenizer.json (no optimizer state) and manifest.json (config, tokenizer, the commands that
// made it, seeds, steps, wall time, sha256 of every file, and the accuracy measured by `apr eval`). The
// directory is assembled beside the target and renamed into place, so a failed export leaves the old one.
using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apr.Inference;
using Apr.Model;

namespace Apr.Cli;

public static class ExportCommand
{
    public static Command Create()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "training or RL run directory (its latest checkpoint), or a checkpoint directory", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "model directory to write (replaced atomically)", Required = true };
        var name = new Option<string?>("--name") { Description = "model name in the manifest (default: the output folder's name)" };
        var method = new Option<string>("--method") { Description = "apr or sosp: the trace language the model speaks", DefaultValueFactory = _ => "apr" };
        method.AcceptOnlyFromAmong("apr", "sosp");
        var recipe = Options.InputFile("--recipe", "text file with the commands that made the data and trained the model (one per line; copied into the manifest)", required: false);
        var eval = Options.InputFile("--eval", "summary.json of an `apr eval` run whose accuracy goes into the manifest", required: false);
        var condition = new Option<string?>("--condition") { Description = "the eval condition to report (default: <method>-model)" };
        var cmd = new Command("export", "Export a run's latest checkpoint as a model directory with a manifest (config, tokenizer, recipe, seeds, steps, wall time, sha256, accuracy).")
        {
            from, output, name, method, recipe, eval, condition,
        };
        cmd.SetAction(r =>
        {
            string source;
            try { source = ModelLoader.Resolve(r.GetValue(from)!.FullName); }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException) { throw new CliException(e.Message); }
            var target = r.GetValue(output)!.FullName.TrimEnd(Path.DirectorySeparatorChar);
            var m = r.GetValue(method)!;
            var stage = target + ".export-" + Environment.ProcessId;
            if (Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
            Directory.CreateDirectory(stage);
            foreach (var file in new[] { ModelFiles.WeightsFile, ModelFiles.ConfigFile, ModelLoader.TokenizerFile })
            {
                var path = Path.Combine(source, file);
                if (!File.Exists(path)) throw new CliException($"{source} has no {file}");
                File.Copy(path, Path.Combine(stage, file));
            }
            var config = ModelConfig.FromJson(File.ReadAllText(Path.Combine(stage, ModelFiles.ConfigFile)));
            var manifest = new JsonObject
            {
                ["format"] = 1,
                ["name"] = r.GetValue(name) ?? Path.GetFileName(target),
                ["method"] = m,
                ["exported_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["config"] = JsonNode.Parse(config.ToJson()),
                ["parameters"] = config.ParameterCount,
                ["tokenizer"] = new JsonObject { ["file"] = ModelLoader.TokenizerFile, ["vocab_size"] = config.VocabSize },
                ["source_checkpoint"] = Path.GetRelativePath(Environment.CurrentDirectory, source),
                ["training"] = Training(source, r.GetValue(recipe)?.FullName),
                ["files"] = new JsonArray(Directory.GetFiles(stage).Order(StringComparer.Ordinal).Select(f => (JsonNode)new JsonObject
                {
                    ["name"] = Path.GetFileName(f),
                    ["bytes"] = new FileInfo(f).Length,
                    ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))),
                }).ToArray()),
                ["accuracy"] = r.GetValue(eval) is { } ev ? Accuracy(ev.FullName, r.GetValue(condition) ?? m + "-model") : null,
            };
            File.WriteAllText(Path.Combine(stage, "manifest.json"), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            var old = target + ".old-" + Environment.ProcessId;
            if (Directory.Exists(target)) Directory.Move(target, old);
            Directory.Move(stage, target);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            r.InvocationConfiguration.Output.WriteLine($"exported {source} to {target} ({config.ParameterCount:N0} parameters)");
            return 0;
        });
        return cmd;
    }

    private static JsonObject Training(string checkpoint, string? recipe)
    {
        var o = new JsonObject();
        var state = Path.Combine(checkpoint, "state.json");
        if (File.Exists(state))
        {
            var s = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
            o["steps"] = s["step"]?.DeepClone();
            o["seed"] = s["seed"]?.DeepClone();
            o["tokens_seen"] = s["tokens_seen"]?.DeepClone();
            o["wall_time_seconds"] = s["elapsed_seconds"]?.DeepClone();
        }
        // metrics.jsonl of the run (two levels above checkpoints/step-N): the last training and validation loss.
        var metrics = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(checkpoint)!)!, "metrics.jsonl");
        if (File.Exists(metrics))
            foreach (var line in File.ReadLines(metrics).Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                var n = JsonNode.Parse(line)!;
                if (n["kind"] is not null) // an RL log: steps and wall time above are the RL run's; its accuracy is in the eval
                {
                    o["stage"] = "rl";
                    if (n["kind"]!.GetValue<string>() == "val") o["final_rl_validation_accuracy"] = n["accuracy"]?.DeepClone();
                    continue;
                }
                if (n["loss"] is { } loss) o["final_train_loss"] = loss.DeepClone();
                if (n["val_loss"] is { } val) o["final_val_loss"] = val.DeepClone();
            }
        if (recipe is not null)
            o["commands"] = new JsonArray(File.ReadAllLines(recipe).Where(l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith('#')).Select(l => (JsonNode)l.Trim()).ToArray());
        return o;
    }

    private static JsonObject Accuracy(string summaryPath, string conditionName)
    {
        JsonNode summary;
        try { summary = JsonNode.Parse(File.ReadAllText(summaryPath))!; }
        catch (JsonException e) { throw new CliException($"{summaryPath} is not an `apr eval` summary: {e.Message}"); }
        var c = summary["conditions"]?.AsArray().FirstOrDefault(x => x?["name"]?.GetValue<string>() == conditionName)
            ?? throw new CliException($"{summaryPath} has no condition '{conditionName}'");
        return new JsonObject
        {
            ["eval_summary"] = Path.GetRelativePath(Environment.CurrentDirectory, summaryPath),
            ["eval_command"] = summary["command"]?.DeepClone(),
            ["problems_file"] = summary["problems_file"]?.DeepClone(),
            ["condition"] = conditionName,
            ["problems"] = c["problems"]?.DeepClone(),
            ["accuracy"] = c["accuracy"]?.DeepClone(),
            ["reference_context"] = summary["reference_context"]?.DeepClone(),
            ["accuracy_at_reference_context"] = c["accuracy_at_reference_context"]?.DeepClone(),
            ["mean_total_tokens"] = c["mean_total_tokens"]?.DeepClone(),
            ["mean_sequential_tokens"] = c["mean_sequential_tokens"]?.DeepClone(),
            ["mean_children"] = c["mean_children"]?.DeepClone(),
        };
    }
}
