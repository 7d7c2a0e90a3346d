// Rankers: loads a ranker directory as a value or a ranking (ValueGuide, `apr eval --ranker`, `apr data traces --ranker`).
// Three kinds of directory:
// - a trained ranker (ReachabilityScorer: model.safetensors and ranker.json, written by bench/Apr.Bench.Ranking --save);
// - a mean ranker: a ranker.json alone, {"task": "reachability", "network": "mean", "rankers": ["../ranker456-mlp72k",
//   "../ranker45-mlp72k"]}, each a trained ranker (a path relative to the directory); a state's score is the mean of the
//   probabilities of the members that rate its size (ranker456 alone for 5-number states above, both for smaller ones;
//   ReachabilityScorer.Untrained when none does). Why: networks trained on other problems or from other seeds err on
//   different states, and averaging them is the plain way to a better ranking without training (models/ranker456-45-mean,
//   bench/results/eval/ae-value6-mean; two seeds of one recipe did not help: ad-value-mean);
// - a ranker by state size: a ranker.json alone, {"task": "reachability", "network": "by-state-size", "parts": [{"sizes":
//   [5], "ranker": "../ranker456-mlp72k"}, {"sizes": [3, 4], "ranker": "../ranker45-mlp72k"}]}, each part a trained ranker
//   (a path relative to the directory) that rates the states of its sizes; a state of a size no part names gets
//   ReachabilityScorer.Untrained, as a trained ranker does outside its sizes. Why: a value trained on more sizes can be
//   worse at the smaller ones (ranker456 rates 4- and 3-number states worse than ranker45; bench/results/eval/t-value456),
//   and a 6-number problem holds states of every size, so the best part for each size can differ
//   (bench/results/eval/z-value-by-state). A part is a trained ranker or a mean ranker.
using System.Text.Json;
using Apr.Countdown;

namespace Apr.Inference;

/// <summary>A loaded ranker directory: scores states, owns what it loaded.</summary>
public interface IRanker : ISuccessorScorer, IDisposable
{
}

public static class Rankers
{
    /// <summary>The manifest's "network" value of a ranker by state size.</summary>
    public const string ByStateSizeNetwork = "by-state-size";

    /// <summary>The manifest's "network" value of a mean ranker.</summary>
    public const string MeanNetwork = "mean";

    /// <summary>
    /// The ranker in <paramref name="directory"/>, of any of the three kinds; with <paramref name="only"/>, narrowed to those sizes
    /// (each one it rates). A missing or malformed file, or a part or member of the wrong kind, is an ArgumentException naming it.
    /// </summary>
    public static IRanker Load(string directory, IReadOnlyCollection<int>? only = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        List<(int[] Sizes, string Dir)> parts;
        using (var manifest = CompositeManifest(directory, out var network))
        {
            if (manifest is null) return ReachabilityScorer.Load(directory, only); // names a missing or malformed file
            if (network == MeanNetwork) return LoadMean(directory, manifest.RootElement, only);
            parts = ReadParts(directory, manifest.RootElement);
        }
        if (only is { Count: > 0 })
            foreach (var n in only)
                if (!parts.Any(p => p.Sizes.Contains(n)))
                    throw new ArgumentException($"ranker '{directory}': it cannot rate states of {n} numbers (its parts rate sizes {string.Join(",", parts.SelectMany(p => p.Sizes).Order())})");
        var loaded = new List<(int[] Sizes, IRanker Scorer)>();
        try
        {
            foreach (var (sizes, dir) in parts)
            {
                var keep = only is { Count: > 0 } ? sizes.Where(only.Contains).ToArray() : sizes;
                if (keep.Length == 0) continue;
                try { loaded.Add((keep, Load(dir, keep))); } // ReadParts refused parts by state size: no recursion beyond a mean
                catch (ArgumentException e) { throw new ArgumentException($"ranker '{directory}': its part for {string.Join(",", keep)} numbers: {e.Message}", e); }
            }
        }
        catch
        {
            foreach (var (_, s) in loaded) s.Dispose();
            throw;
        }
        return new StateSizeRanker(loaded);
    }

    private static List<(int[] Sizes, string Dir)> ReadParts(string directory, JsonElement root)
    {
        CheckTask(directory, root);
        if (!root.TryGetProperty("parts", out var partsJson) || partsJson.ValueKind != JsonValueKind.Array || partsJson.GetArrayLength() == 0)
            throw new ArgumentException(Malformed(directory, $"a ranker by state size lists its \"parts\" (a non-empty list of {{\"sizes\": [...], \"ranker\": DIR}})"));
        var parts = new List<(int[], string)>();
        var seen = new HashSet<int>();
        foreach (var part in partsJson.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("sizes", out var sizes) || sizes.ValueKind != JsonValueKind.Array || sizes.GetArrayLength() == 0
                || !sizes.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var v) && v >= 2 && v <= ProblemLimits.MaxNumbers)
                || !part.TryGetProperty("ranker", out var dir) || dir.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(dir.GetString()))
                throw new ArgumentException(Malformed(directory, $"each part is {{\"sizes\": [sizes of 2..{ProblemLimits.MaxNumbers} numbers], \"ranker\": DIR}}, got {part.GetRawText()}"));
            var list = sizes.EnumerateArray().Select(x => x.GetInt32()).ToArray();
            foreach (var n in list)
                if (!seen.Add(n)) throw new ArgumentException(Malformed(directory, $"states of {n} numbers are named by two parts"));
            var path = Path.GetFullPath(Path.Combine(directory, dir.GetString()!));
            if (IsComposite(path, out var kind) && kind == ByStateSizeNetwork)
                throw new ArgumentException(Malformed(directory, $"part '{dir.GetString()}' is a ranker by state size itself: a part is a trained ranker or a mean ranker"));
            parts.Add((list, path));
        }
        return parts;
    }

    /// <summary>What is wrong with a composite ranker's ranker.json, naming the directory and the file.</summary>
    private static string Malformed(string directory, string what) => $"ranker '{directory}': {ReachabilityScorer.ManifestFile}: {what}";

    private static void CheckTask(string directory, JsonElement root)
    {
        if (!root.TryGetProperty("task", out var task) || task.ValueKind != JsonValueKind.String || task.GetString() != "reachability")
            throw new ArgumentException(Malformed(directory, "it does not describe a reachability classifier (task != \"reachability\")"));
    }

    /// <summary>A mean ranker: its "rankers" (trained rankers); with <paramref name="only"/>, rating only those sizes (each rated by some member).</summary>
    private static IRanker LoadMean(string directory, JsonElement root, IReadOnlyCollection<int>? only)
    {
        CheckTask(directory, root);
        if (!root.TryGetProperty("rankers", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0
            || !list.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(x.GetString())))
            throw new ArgumentException(Malformed(directory, "a mean ranker lists its \"rankers\" (a non-empty list of ranker directories)"));
        var members = new List<ReachabilityScorer>();
        try
        {
            foreach (var entry in list.EnumerateArray())
            {
                var path = Path.GetFullPath(Path.Combine(directory, entry.GetString()!));
                if (IsComposite(path, out var kind))
                    throw new ArgumentException(Malformed(directory, $"'{entry.GetString()}' is a {kind} ranker itself: a mean ranker averages trained rankers"));
                try { members.Add(ReachabilityScorer.Load(path)); }
                catch (ArgumentException e) { throw new ArgumentException($"ranker '{directory}': its member '{entry.GetString()}': {e.Message}", e); }
            }
            if (only is { Count: > 0 })
                foreach (var n in only)
                    if (!members.Any(m => Rates(m, n)))
                        throw new ArgumentException($"ranker '{directory}': it cannot rate states of {n} numbers (no member rates them)");
        }
        catch
        {
            foreach (var m in members) m.Dispose();
            throw;
        }
        return new MeanRanker(members, only is { Count: > 0 } ? [.. only] : null);
    }

    private static bool Rates(ReachabilityScorer ranker, int size) => ranker.StateSizes is null ? size >= 2 : ranker.StateSizes.Contains(size);

    /// <summary>True when <paramref name="directory"/> holds a ranker made of other rankers (by state size or mean); <paramref name="kind"/> says which.</summary>
    internal static bool IsComposite(string directory, out string? kind)
    {
        using var manifest = CompositeManifest(directory, out kind);
        return manifest is not null;
    }

    /// <summary>
    /// The parsed ranker.json of <paramref name="directory"/> when it describes a ranker by state size or a mean ranker (<paramref name="network"/>
    /// says which); else null (no file, bad JSON: the trained ranker's load names them, another network).
    /// </summary>
    private static JsonDocument? CompositeManifest(string directory, out string? network)
    {
        network = null;
        var path = Path.Combine(directory, ReachabilityScorer.ManifestFile);
        if (!File.Exists(path)) return null;
        JsonDocument manifest;
        try { manifest = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
        if (manifest.RootElement.TryGetProperty("network", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is ByStateSizeNetwork or MeanNetwork)
        {
            network = n.GetString();
            return manifest;
        }
        manifest.Dispose();
        return null;
    }

    /// <summary>
    /// Rates each state with the mean of the probabilities of the members that rate its size (Untrained when none does, or
    /// when <paramref name="only"/> leaves its size out).
    /// </summary>
    private sealed class MeanRanker(List<ReachabilityScorer> members, HashSet<int>? only) : IRanker
    {
        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            ArgumentNullException.ThrowIfNull(states);
            for (int i = 0; i < states.Count; i++) scores[i] = ReachabilityScorer.Untrained;
            var rated = Enumerable.Range(0, states.Count).Where(i => only is null || only.Contains(states[i].Length)).ToArray();
            long[][] batch = [.. rated.Select(i => states[i])];
            var one = new double[batch.Length];
            var sum = new double[batch.Length];
            var count = new int[batch.Length];
            foreach (var m in members)
            {
                m.Score(target, batch, one);
                for (int k = 0; k < batch.Length; k++)
                    if (Rates(m, batch[k].Length))
                    {
                        sum[k] += one[k];
                        count[k]++;
                    }
            }
            for (int k = 0; k < batch.Length; k++)
                if (count[k] > 0) scores[rated[k]] = sum[k] / count[k];
        }

        public void Dispose()
        {
            foreach (var m in members) m.Dispose();
        }
    }

    /// <summary>Rates each state with the part for its size; other sizes get <see cref="ReachabilityScorer.Untrained"/>.</summary>
    private sealed class StateSizeRanker(List<(int[] Sizes, IRanker Scorer)> parts) : IRanker
    {
        private readonly Dictionary<int, IRanker> _bySize = parts.SelectMany(p => p.Sizes.Select(n => (n, p.Scorer))).ToDictionary(x => x.n, x => x.Scorer);

        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            ArgumentNullException.ThrowIfNull(states);
            for (int i = 0; i < states.Count; i++) scores[i] = ReachabilityScorer.Untrained;
            foreach (var group in Enumerable.Range(0, states.Count).Where(i => _bySize.ContainsKey(states[i].Length)).GroupBy(i => _bySize[states[i].Length]))
            {
                var idx = group.ToArray();
                var part = new double[idx.Length];
                group.Key.Score(target, [.. idx.Select(i => states[i])], part);
                for (int k = 0; k < idx.Length; k++) scores[idx[k]] = part[k];
            }
        }

        public void Dispose()
        {
            foreach (var (_, s) in parts) s.Dispose();
        }
    }
}
