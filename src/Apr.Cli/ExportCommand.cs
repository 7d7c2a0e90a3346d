// ExportCommand: `apr export --from RUN --out models/NAME [--recipe FILE] [--eval summary.json]`: turns a
// training (or RL) run's latest checkpoint into a shippable model directory, which is also a Hugging Face
// Llama checkpoint that transformers, vLLM and SGLang load (tensor names are HF's already and the rotary
// embedding is HF's rotate-half, so the weights need no renaming or permutation): model.safetensors,
// config.json (rewritten as ModelConfig writes it: LlamaConfig's fields only), apr-tokenizer.json (also from a checkpoint that has the older tokenizer.json; no optimizer state) and manifest.json (config, tokenizer, the commands that
// made it, seeds, steps, wall time, sha256 of every file, and the accuracy measured by `apr eval`). It never
// deletes or overwrites what it did not write (ExportTarget: a target that is not a model directory, or
// overlaps the source, is refused unless --force; files are replaced one by one, manifest.json last) and
// holds the target's RunLock while it writes. From an exported model (a re-export with other decoding settings, the
// weights copied byte for byte) the manifest keeps that model's training record and source checkpoint.
using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Apr.Evaluation;
using Apr.Inference;
using Apr.Protocol;
using Apr.Reinforcement;
using Apr.Training;
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "training or RL run directory (its latest checkpoint), a checkpoint directory, or an exported model directory (a re-export: its training record carries over)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "model directory to write: new, empty, or an earlier export (its four files are replaced one by one, manifest.json last; other files stay)", Required = true };
        var force = new Option<bool>("--force") { Description = "write into --out even if it is not a model directory or overlaps --from (only export's four files are replaced; nothing else is deleted)" };
        var name = new Option<string?>("--name") { Description = "model name in the manifest (default: the output folder's name)" };
        var method = Options.Method("apr or sosp: the trace language the model speaks");
        var recipe = Options.InputFile("--recipe", "text file with the commands that made the data and trained the model (one per line; copied into the manifest)", required: false);
        var eval = Options.InputFile("--eval", "summary.json of an `apr eval` run whose accuracy goes into the manifest", required: false);
        var condition = new Option<string?>("--condition") { Description = "the eval condition to report (default: <method>-model)" };
        var budgetBins = Options.IntList("--budget-bins", "apr: the total-token budgets the model was trained to read in 'Token Budget: B' (`data traces --budgets`); written to the manifest so solve, eval and rl tell it its budget", [], 1, 100_000_000);
        var tokenBudgetBin = Options.OptionalInt("--token-budget-bin", "sosp: the bin of the 'Token Budget: B' prefix it was trained with (`data traces --token-budget-bin`)", 1, 1_000_000);
        var budgetUnit = Options.BudgetUnit("--budget-unit", "export");
        var budgetChildren = new Option<bool>("--budget-children") { Description = "apr: it was trained with the budget prefix in every thread's prompt (`data traces --budget-children`); written to the manifest so solve, eval, rl and serve tell its children too" };
        var valueModel = new Option<DirectoryInfo?>("--value-model") { Description = "a learned value the model is to be decoded with (a ranker directory, e.g. models/ranker5-mlp; see solve --value-model): written to the manifest, relative to --out, so solve and eval use it by default" };
        var valueWeight = Options.OptionalNumber("--value-weight", "with --value-model: its weight, written to the manifest", 0, 1e6, minExcluded: true);
        var valueExact = Options.OptionalInt("--value-exact-upto", $"with --value-model: states of at most N numbers (1..{ValueGuide.MaxExactUpTo}) are rated by an exact check instead (see solve --value-exact-upto), written to the manifest", 1, ValueGuide.MaxExactUpTo);
        var valueRevisit = Options.OptionalNumber("--value-revisit", "with --value-model: the factor on the value of a state a thread knows was searched (see solve --value-revisit), written to the manifest's value_revisit", 0, 1, minExcluded: true);
        var valueBySize = ValueGuideOptions.BySizeOption("with --value-model: another value for problems of N numbers (the root's count; repeatable), e.g. 6=models/ranker456-mlp72k, written to the manifest's value_model_by_size relative to --out");
        var average = new Option<DirectoryInfo[]>("--average") { Description = "another run, checkpoint or model of the same architecture and tokenizer (repeat for several): the exported weights are the elementwise mean of --from's and these (a uniform model soup of fine-tunes from the same weights); the manifest lists every source with its sha256", AllowMultipleArgumentsPerToken = true };
        var cmd = new Command("export", "Export a run's latest checkpoint as a model directory with a manifest (config, tokenizer, recipe, seeds, steps, wall time, sha256, accuracy).")
        {
            from, output, force, name, method, recipe, eval, condition, budgetBins, tokenBudgetBin, budgetUnit, budgetChildren, valueModel, valueWeight, valueExact, valueBySize, valueRevisit, average,
        };
        cmd.SetAction(r =>
        {
            var fromDir = ExportTarget.Full(r.GetValue(from)!.FullName);
            string source;
            try { source = ExportTarget.Full(ModelLoader.Resolve(fromDir)); }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException) { throw new CliException(e.Message); }
            var averageDirs = (r.GetValue(average) ?? []).Select(d => ExportTarget.Full(d.FullName)).ToList();
            var averaged = new List<string>();
            foreach (var dir in averageDirs)
            {
                try { averaged.Add(ExportTarget.Full(ModelLoader.Resolve(dir))); }
                catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException) { throw new CliException($"--average: {e.Message}"); }
            }
            if (averaged.Prepend(source).GroupBy(p => p, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new CliException($"--average: {twice.Key} is given twice (with --from or another --average): each checkpoint counts once in the mean", Cli.UsageError);
            var target = ExportTarget.Full(r.GetValue(output)!.FullName);
            var m = Options.MethodOf(r, method).WireName();
            if (r.GetValue(budgetUnit) is { } askedUnit)
            {
                if (r.GetValue(budgetBins) is not { Length: > 0 } unitBins) throw new CliException("--budget-unit needs --budget-bins (the unit divides them)", Cli.UsageError);
                Options.AsUsageError(() => new ModelConditioning(unitBins, null, askedUnit).Validate());
            }
            if (r.GetValue(budgetChildren) && r.GetValue(budgetBins) is not { Length: > 0 })
                throw new CliException("--budget-children tells the children of a model that reads its budget: give --budget-bins too", Cli.UsageError);
            if (r.GetValue(valueWeight) is not null && r.GetValue(valueModel) is null) throw new CliException("--value-weight weighs a --value-model: give --value-model DIR too", Cli.UsageError);
            if (r.GetValue(valueExact) is not null && r.GetValue(valueModel) is null) throw new CliException("--value-exact-upto goes with a --value-model: give --value-model DIR too", Cli.UsageError);
            if (r.GetValue(valueRevisit) is not null && r.GetValue(valueModel) is null) throw new CliException("--value-revisit goes with a --value-model: give --value-model DIR too", Cli.UsageError);
            var sizes = ValueGuideOptions.ParseBySize(r.GetValue(valueBySize) ?? []);
            if (sizes.Count > 0 && r.GetValue(valueModel) is null) throw new CliException("--value-model-by-size adds to a --value-model: give --value-model DIR too", Cli.UsageError);
            static void RequireRanker(string given, string dir)
            {
                if (!File.Exists(Path.Combine(dir, ReachabilityScorer.ManifestFile)))
                    throw new CliException($"{given}{dir} is not a ranker directory (it has no {ReachabilityScorer.ManifestFile})", Cli.UsageError);
            }
            if (r.GetValue(valueModel) is { } vm) RequireRanker("--value-model ", vm.FullName);
            foreach (var (n, dir) in sizes) RequireRanker($"--value-model-by-size {n}=", dir);
            if (File.Exists(target)) throw new CliException($"--out {target} is a file, not a directory", Cli.UsageError);
            if (ExportTarget.Refusal(target, [source, fromDir, .. averaged, .. averageDirs]) is { } refusal)
            {
                if (!r.GetValue(force))
                    throw new CliException($"{refusal}: nothing was written; choose a new or empty --out, or pass --force to write the model's four files into it (nothing else is touched)", Cli.UsageError);
                r.InvocationConfiguration.Output.WriteLine($"--force: {refusal}; replacing only {string.Join(", ", ExportTarget.OwnFiles)} in it");
            }
            var sources = new[] { ModelFiles.WeightsFile, ModelFiles.ConfigFile, TokenizerFile.Name }
                .Select(f => (Name: f, Path: f == TokenizerFile.Name ? TokenizerFile.Find(source) : Path.Combine(source, f))).ToList();
            foreach (var (file, path) in sources)
                if (path is null || !File.Exists(path)) throw new CliException($"{source} has no {file}");
            var config = ModelConfig.Load(Path.Combine(source, ModelFiles.ConfigFile));
            foreach (var other in averaged) CheckAverageable(source, config, other);
            var earlier = Earlier(source);
            var training = Training(source, earlier, r.GetValue(recipe)?.FullName);
            var accuracy = r.GetValue(eval) is { } ev ? Accuracy(ev.FullName, r.GetValue(condition) ?? m + "-model") : null;

            bool created = !Directory.Exists(target);
            try
            {
                using var targetLock = Apr.Training.RunLock.Acquire(target, "apr export");
                ExportTarget.CleanScratch(target);
                using var stage = new ExportTarget.Stage(target);
                // config.json is written as this build writes it (the full Hugging Face LlamaConfig, whatever fields
                // the source's file had); the weights and tokenizer are copied byte for byte.
                var staged = sources.Select(f => (f.Name, Temp: stage.Add(f.Name, temp =>
                {
                    if (f.Name == ModelFiles.ConfigFile) File.WriteAllText(temp, config.ToJson() + "\n");
                    else if (f.Name == ModelFiles.WeightsFile && averaged.Count > 0)
                    {
                        try { ModelFiles.WriteMean([f.Path!, .. averaged.Select(a => Path.Combine(a, ModelFiles.WeightsFile))], temp); }
                        catch (InvalidDataException e) { throw new CliException($"--average: {e.Message}"); }
                    }
                    else File.Copy(f.Path!, temp);
                }))).ToList();
                var manifest = new ModelManifest(
                    1, r.GetValue(name) ?? Path.GetFileName(target), m, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    JsonDocument.Parse(config.ToJson()).RootElement.Clone(), config.ParameterCount, config.NonEmbeddingParameterCount,
                    new ManifestTokenizer(TokenizerFile.Name, config.VocabSize), earlier?.SourceCheckpoint ?? Path.GetRelativePath(Environment.CurrentDirectory, source), training,
                    [.. staged.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f =>
                        new ManifestFile(f.Name, new FileInfo(f.Temp).Length, Sha256Of(f.Temp)))],
                    accuracy)
                {
                    BudgetBins = r.GetValue(budgetBins) is { Length: > 0 } bins ? [.. bins.Order()] : null,
                    TokenBudgetBin = r.GetValue(tokenBudgetBin),
                    BudgetUnit = r.GetValue(budgetUnit) is { } unit && unit != 1 ? unit : null,
                    BudgetChildren = r.GetValue(budgetChildren) ? true : null,
                    ValueModel = r.GetValue(valueModel) is { } value ? Path.GetRelativePath(target, value.FullName) : null,
                    ValueWeight = r.GetValue(valueModel) is null ? null : r.GetValue(valueWeight),
                    ValueExactUpTo = r.GetValue(valueModel) is null || r.GetValue(valueExact) is 1 ? null : r.GetValue(valueExact),
                    ValueRevisit = r.GetValue(valueModel) is null || r.GetValue(valueRevisit) is 1 ? null : r.GetValue(valueRevisit),
                    ValueModelBySize = sizes.Count > 0 ? sizes.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key, kv => Path.GetRelativePath(target, kv.Value)) : null,
                    AveragedFrom = averaged.Count > 0 ? [.. averaged.Prepend(source).Select(Averaged)] : earlier?.AveragedFrom,
                };
                stage.Add(ModelManifest.FileName, temp => File.WriteAllText(temp, manifest.ToJson()));
                stage.Commit();
            }
            catch
            {
                // Only the directory this export made, and only when empty (the lock and temporary files are gone by now).
                if (created && Directory.Exists(target) && !Directory.EnumerateFileSystemEntries(target).Any()) Directory.Delete(target);
                throw;
            }
            var mean = averaged.Count > 0 ? $" (the mean of its weights and {averaged.Count} more: {string.Join(", ", averaged)})" : "";
            r.InvocationConfiguration.Output.WriteLine($"exported {source}{mean} to {target} ({config.ParameterCount:N0} parameters)");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The manifest of a source that is an exported model (a model directory with no checkpoint state.json), or null.
    /// Re-exporting one (other decoding settings, the same weights byte for byte) keeps what made the weights: its
    /// training record and source checkpoint carry over, which the model directory alone no longer holds.
    /// </summary>
    private static ModelManifest? Earlier(string source)
    {
        var path = Path.Combine(source, ModelManifest.FileName);
        if (File.Exists(Path.Combine(source, "state.json")) || !File.Exists(path)) return null;
        try { return ModelManifest.Read(path); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
    }

    /// <summary>An --average source must be the same network with the same tokenizer as --from, else an error naming both.</summary>
    private static void CheckAverageable(string source, ModelConfig config, string other)
    {
        var weights = Path.Combine(other, ModelFiles.WeightsFile);
        if (!File.Exists(weights)) throw new CliException($"--average: {other} has no {ModelFiles.WeightsFile}");
        ModelConfig otherConfig;
        try { otherConfig = ModelConfig.Load(Path.Combine(other, ModelFiles.ConfigFile)); }
        catch (InvalidDataException e) { throw new CliException($"--average: {e.Message}"); }
        if (otherConfig.ToJson() != config.ToJson())
            throw new CliException($"--average: {other}'s config.json differs from {source}'s: only weights of one architecture can be averaged");
        var (mine, theirs) = (TokenizerFile.Find(source), TokenizerFile.Find(other));
        if (theirs is null || !File.ReadAllBytes(theirs).AsSpan().SequenceEqual(File.ReadAllBytes(mine!)))
            throw new CliException($"--average: {other}'s tokenizer differs from {source}'s (or it has none): the averaged weights would read other token ids");
    }

    /// <summary>One source of an averaged model, as the manifest lists it.</summary>
    private static ManifestAveraged Averaged(string checkpoint)
    {
        var state = State(checkpoint);
        return new ManifestAveraged(Path.GetRelativePath(Environment.CurrentDirectory, checkpoint), Sha256Of(Path.Combine(checkpoint, ModelFiles.WeightsFile)), state?.Step, state?.Seed);
    }

    /// <summary>A file's sha256, lower-case hex, as the manifest lists it.</summary>
    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>A checkpoint's state.json, or null when it has none (an exported model).</summary>
    private static TrainingState? State(string checkpoint)
    {
        var state = Path.Combine(checkpoint, "state.json");
        if (!File.Exists(state)) return null;
        try { return TrainingState.FromJson(File.ReadAllText(state)); }
        catch (InvalidDataException e) { throw new CliException($"{state}: {e.Message}"); }
    }

    /// <summary>What made the weights: the checkpoint's state.json (or an exported source's manifest), the run's metrics.jsonl (an SFT or an RL log), the recipe.</summary>
    private static ManifestTraining Training(string checkpoint, ModelManifest? earlier, string? recipe)
    {
        var o = earlier?.Training ?? new ManifestTraining();
        if (State(checkpoint) is { } s)
            o = o with { Steps = s.Step, Seed = s.Seed, TokensSeen = s.TokensSeen, WallTimeSeconds = s.ElapsedSeconds };
        // metrics.jsonl of the run (two levels above checkpoints/step-N): the last training and validation loss,
        // or for an RL log (its lines have a "kind") the last validation accuracy; its accuracy on the test set is in the eval.
        var metrics = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(checkpoint)!)!, "metrics.jsonl");
        if (File.Exists(metrics))
        {
            try
            {
                if (RlMetrics.IsRlLog(metrics))
                    o = o with { Stage = "rl", FinalRlValidationAccuracy = new RlMetrics(metrics).Validations.LastOrDefault()?.Accuracy };
                else
                    foreach (var (line, _) in new MetricsLog(metrics).Lines())
                        o = o with { FinalTrainLoss = line.Loss, FinalValLoss = line.ValLoss ?? o.FinalValLoss };
            }
            catch (InvalidDataException e) { throw new CliException(e.Message); }
        }
        if (recipe is not null)
            o = o with { Commands = [.. File.ReadAllLines(recipe).Where(l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith('#')).Select(l => l.Trim())] };
        return o;
    }

    private static ManifestAccuracy Accuracy(string summaryPath, string conditionName)
    {
        EvalSummary summary;
        try { summary = EvalSummary.Read(summaryPath); }
        catch (InvalidDataException e) { throw new CliException(e.Message); }
        var c = summary.Conditions?.FirstOrDefault(x => x.Name == conditionName) ?? throw new CliException($"{summaryPath} has no condition '{conditionName}'");
        return new ManifestAccuracy(
            Path.GetRelativePath(Environment.CurrentDirectory, summaryPath), summary.Command, summary.ProblemsFile, conditionName, c.Problems, c.Accuracy,
            summary.ReferenceContext, c.AccuracyAtReferenceContext, c.MeanTotalTokens, c.MeanSequentialTokens, c.MeanChildren);
    }
}
