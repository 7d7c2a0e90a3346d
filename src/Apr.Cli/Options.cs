// Options: validated option factories, so every bad value gets a message naming the option, the value and
// the allowed range; every floating-point option of the tree refuses NaN and infinities (RequireFiniteNumbers,
// applied once to the whole command tree); an output path that is also an input is refused (NotAnInput).
using System.CommandLine;
using System.Globalization;
using Apr.Inference;
using Apr.Protocol;
using Apr.Remote;

namespace Apr.Cli;

internal static class Options
{
    /// <summary><c>--backend URL[,URL...]</c>: decode on remote servers instead of in this process.</summary>
    public static Option<string?> Backend() => new("--backend")
    {
        Description = "decode on remote servers (vLLM or `apr serve`: /v1/completions with token ids): URL[,URL...]; each problem goes to one of them. --model then only supplies the tokenizer",
    };

    /// <summary>The backend <paramref name="option"/> names (null when not given); a bad URL is a usage error naming it.</summary>
    public static RemoteBackend? BackendOf(System.CommandLine.ParseResult r, Option<string?> option)
    {
        if (r.GetValue(option) is not { } text) return null;
        return AsUsageError(() => new RemoteBackend(new BackendOptions { Servers = BackendOptions.ParseServers(text) }));
    }

    /// <summary>One line on what the backend did and how many problems it failed (their records say backend_error, with the error).</summary>
    public static string BackendSummary(RemoteBackend backend, long? failedProblems) =>
        $"backend: {backend.Describe}: {backend.Stats}" + (failedProblems is { } f ? $"; {f} problem(s) failed on the backend" : "") +
        string.Concat(backend.RequestsPerServer.Select(s => $"; {s.Url}: {s.Requests:N0} requests"));

    public static Option<int> Int(string name, string description, int defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        var o = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        o.Validators.Add(r =>
        {
            if (TryGet<int>(r, out var v) && (v < min || v > max)) r.AddError($"{name} must be {Range(min, max)}, got {v}");
        });
        return o;
    }

    /// <summary>The APR budget prefix's unit: `Token Budget: B / U` (1,000: one number token per bin).</summary>
    public static Option<int?> BudgetUnit(string name, string whose) =>
        OptionalInt(name, $"{whose}: the budget prefix says B / this (1000: 'Token Budget: 8 ' for 8,000 tokens, one number token per budget; default {whose switch { "data" => "1", _ => "the manifest's budget_unit, else 1" }})", 1, 1_000_000);

    /// <summary>A model that reads its budget in every thread (ModelConditioning.BudgetChildren), for a model directory without that manifest field.</summary>
    public static Option<bool> BudgetChildren(string name) =>
        new(name) { Description = "the APR model reads its budget in every thread's prompt, not only the root's (default: its manifest's budget_children)" };

    public static Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue)
    {
        var o = new Option<int?>(name) { Description = description };
        o.Validators.Add(r =>
        {
            if (TryGet<int?>(r, out var v) && v is { } x && (x < min || x > max)) r.AddError($"{name} must be {Range(min, max)}, got {x}");
        });
        return o;
    }

    /// <summary><c>--method apr|sosp</c> (default apr), read with <see cref="MethodOf"/> into the one method type. A string option, so help shows the wire names.</summary>
    public static Option<string> Method(string description)
    {
        var o = new Option<string>("--method") { Description = description, DefaultValueFactory = _ => SearchMethod.Apr.WireName() };
        o.AcceptOnlyFromAmong([.. SearchMethods.WireNames]);
        return o;
    }

    /// <summary>The method an option made by <see cref="Method"/> names.</summary>
    public static SearchMethod MethodOf(ParseResult r, Option<string> method) => SearchMethods.Parse(r.GetValue(method));

    /// <summary><c>--threads N</c>: CPU threads for torch (default: every core, InferenceDefaults.Threads).</summary>
    public static Option<int> Threads(string description) => Int("--threads", description, Apr.Inference.InferenceDefaults.Threads, 1, 256);

    /// <summary>--otlp-endpoint URL: export each problem's trace over OTLP (Apr.Telemetry.OtlpExport says which protocol).</summary>
    public static Option<string?> OtlpEndpoint()
    {
        var o = new Option<string?>("--otlp-endpoint") { Description = "export each problem as an OpenTelemetry trace (a span per thread call) to this OTLP collector: http://HOST:4317 (gRPC) or http://HOST:4318/v1/traces (HTTP)" };
        o.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is { } url && Apr.Telemetry.OtlpExport.Check(url) is { } why) r.AddError("--otlp-endpoint: " + why); });
        return o;
    }

    public static Option<ulong> Seed(string description = "random seed: the same seed gives byte-identical output") =>
        new("--seed") { Description = description, DefaultValueFactory = _ => 0UL };

    /// <summary>A finite number in the interval from <paramref name="min"/> to <paramref name="max"/> (bounds excluded when told; max may be +infinity: no upper bound).</summary>
    public static Option<double> Number(string name, string description, double defaultValue, double min, double max = double.PositiveInfinity, bool minExcluded = false, bool maxExcluded = false)
    {
        var o = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        o.Validators.Add(r =>
        {
            if (TryGet<double>(r, out var v) && OutOfInterval(v, min, max, minExcluded, maxExcluded)) r.AddError(IntervalError(name, v, min, max, minExcluded, maxExcluded));
        });
        return o;
    }

    /// <summary>As <see cref="Number"/>, without a default (null when not given).</summary>
    public static Option<double?> OptionalNumber(string name, string description, double min, double max = double.PositiveInfinity, bool minExcluded = false, bool maxExcluded = false)
    {
        var o = new Option<double?>(name) { Description = description };
        o.Validators.Add(r =>
        {
            if (TryGet<double?>(r, out var v) && v is { } x && OutOfInterval(x, min, max, minExcluded, maxExcluded)) r.AddError(IntervalError(name, x, min, max, minExcluded, maxExcluded));
        });
        return o;
    }

    /// <summary>Adds "must be a finite number" to every double option of <paramref name="command"/> and its subcommands.</summary>
    public static void RequireFiniteNumbers(Command command)
    {
        foreach (var option in command.Options)
        {
            if (option is Option<double> d)
                d.Validators.Add(r => { if (TryGet<double>(r, out var v) && !double.IsFinite(v)) r.AddError(NotFinite(d.Name, v)); });
            else if (option is Option<double?> n)
                n.Validators.Add(r => { if (TryGet<double?>(r, out var v) && v is { } x && !double.IsFinite(x)) r.AddError(NotFinite(n.Name, x)); });
        }
        foreach (var sub in command.Subcommands) RequireFiniteNumbers(sub);
    }

    /// <summary>Refuses (usage error) writing <paramref name="output"/> when it is one of the <paramref name="inputs"/> (full paths, links resolved).</summary>
    public static void NotAnInput(string outputOption, string output, params (string Option, string? Path)[] inputs)
    {
        var key = PathKey(output);
        foreach (var (option, path) in inputs)
            if (path is not null && PathKey(path) == key)
                throw new CliException($"{outputOption} {Path.GetFullPath(output)} is also the {option} input: writing it would destroy that input; choose another {outputOption}", Cli.UsageError);
    }

    private static string PathKey(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target) full = target.FullName;
        }
        catch (IOException) { /* a broken link: compare the path itself */ }
        return Path.TrimEndingDirectorySeparator(full);
    }

    private static bool OutOfInterval(double v, double min, double max, bool minExcluded, bool maxExcluded) =>
        !double.IsFinite(v) || (minExcluded ? v <= min : v < min) || (maxExcluded ? v >= max : v > max);

    private static string IntervalError(string name, double v, double min, double max, bool minExcluded, bool maxExcluded)
    {
        if (!double.IsFinite(v)) return NotFinite(name, v);
        string lo = min.ToString(CultureInfo.InvariantCulture), hi = max.ToString(CultureInfo.InvariantCulture);
        var interval = double.IsPositiveInfinity(max) ? $"{(minExcluded ? ">" : ">=")} {lo}" : $"in {(minExcluded ? "(" : "[")}{lo}, {hi}{(maxExcluded ? ")" : "]")}";
        return $"{name} must be {interval}, got {v.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string NotFinite(string name, double v) => $"{name} must be a finite number, got {v.ToString(CultureInfo.InvariantCulture)}";

    public static Option<double> Probability(string name, string description, double defaultValue)
    {
        var o = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        o.Validators.Add(r =>
        {
            if (TryGet<double>(r, out var v) && !(v >= 0 && v <= 1)) r.AddError($"{name} must be a probability in [0, 1], got {v.ToString(CultureInfo.InvariantCulture)}");
        });
        return o;
    }

    /// <summary>An inclusive range written "lo..hi" (or a single number).</summary>
    public static Option<(int Lo, int Hi)> Range(string name, string description, (int, int) defaultValue, int min = 0, int max = int.MaxValue)
    {
        var o = new Option<(int Lo, int Hi)>(name)
        {
            Description = $"{description} (lo..hi, default {defaultValue.Item1}..{defaultValue.Item2})",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                var parts = text.Split("..");
                if (parts.Length is 1 or 2
                    && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
                    && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var hi))
                {
                    if (lo > hi) r.AddError($"{name}: the low end {lo} is above the high end {hi}");
                    else if (lo < min || hi > max) r.AddError($"{name} must lie within {min}..{max}, got {lo}..{hi}");
                    return (lo, hi);
                }
                r.AddError($"{name} must be a range such as 1..5 or a single number, got '{text}'");
                return default;
            },
        };
        return o;
    }

    /// <summary>A comma-separated list of integers, e.g. "2,4,8".</summary>
    public static Option<int[]> IntList(string name, string description, int[] defaultValue, int min = int.MinValue, int max = int.MaxValue)
    {
        return new Option<int[]>(name)
        {
            Description = $"{description} (comma-separated, default {string.Join(",", defaultValue)})",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                var values = new List<int>();
                foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                    {
                        r.AddError($"{name} must be integers separated by commas, got '{text}'");
                        return [];
                    }
                    if (v < min || v > max)
                    {
                        r.AddError($"{name}: every value must be {Range(min, max)}, got {v}");
                        return [];
                    }
                    values.Add(v);
                }
                return [.. values];
            },
        };
    }

    /// <summary>
    /// The learned ranking `--ranker DIR` names, narrowed to `--ranker-sizes` (null without --ranker; eval and data traces
    /// share it): sizes without a ranker, or a directory that is no ranker, are one-line usage errors.
    /// </summary>
    public static IRanker? RankerOf(ParseResult r, Option<DirectoryInfo?> ranker, Option<int[]> sizes)
    {
        if (r.GetValue(ranker) is not { } dir)
            return r.GetValue(sizes) is { Length: > 0 } ? throw new CliException("--ranker-sizes narrows a --ranker: give --ranker DIR too", Cli.UsageError) : null;
        return AsUsageError(() => Rankers.Load(dir.FullName, r.GetValue(sizes)));
    }

    /// <summary>Runs <paramref name="f"/>; an ArgumentException (a bad combination of values) becomes a one-line usage error.</summary>
    public static T AsUsageError<T>(Func<T> f)
    {
        try { return f(); }
        catch (ArgumentException e) { throw new CliException(e.Message, Cli.UsageError); }
    }

    public static Option<int> Workers() => Int("--workers", "worker threads (the output does not depend on it)", Environment.ProcessorCount, 1, 256);

    public static Option<FileInfo> InputFile(string name, string description, bool required = true)
    {
        var o = new Option<FileInfo>(name) { Description = description, Required = required };
        o.Validators.Add(r =>
        {
            if (TryGet<FileInfo?>(r, out var f) && f is not null && !f.Exists) r.AddError($"{name}: file '{f.FullName}' does not exist");
        });
        return o;
    }

    /// <summary>A positional file argument that must exist.</summary>
    public static Argument<FileInfo> ExistingFileArgument(string name, string description)
    {
        var a = new Argument<FileInfo>(name) { Description = description };
        a.Validators.Add(r =>
        {
            var f = r.GetValueOrDefault<FileInfo?>();
            if (f is not null && !f.Exists) r.AddError($"file '{f.FullName}' does not exist");
        });
        return a;
    }

    public static Option<FileInfo> OutputFile(string name = "--out", string description = "output file (written atomically)") =>
        new(name) { Description = description, Required = true };

    /// <summary>
    /// The option's value, or false when it could not be converted (the parser has already recorded
    /// that error, e.g. "Cannot parse argument 'many' for option '--count'"; reading it would throw).
    /// </summary>
    public static bool TryGet<T>(System.CommandLine.Parsing.OptionResult r, out T value)
    {
        try
        {
            value = r.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Range(int min, int max) => (min, max) switch
    {
        (int.MinValue, int.MaxValue) => "an integer",
        (_, int.MaxValue) => $"at least {min}",
        (int.MinValue, _) => $"at most {max}",
        _ => $"between {min} and {max}",
    };
}
