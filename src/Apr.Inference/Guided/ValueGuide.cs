// ValueGuide: a learned value for the choices a model makes under guided decoding (`--value-model DIR`).
// Where the trace grammar leaves the model a choice among lines that each lead to a search state (which operation
// to explore, which node to move to, which node a child starts at), every legal next token gets
//     logit + Weight * ln(best value among the legal lines through that token),
// the value being a reachability rating of the line's state (ISuccessorScorer: e.g. the number MLP of
// models/ranker5-mlp, which reads numbers as numbers; a Llama model of 3.8M parameters reading them as tokens
// learns little of it). Where the lines are of different kinds (explore or spawn? spawn one more child or close the
// block? give up?), the model's logits are untouched: the model keeps every decision about the search's shape (when
// to spawn, how many children, when to stop) and the value only weighs which state comes first. An operation that
// leaves one number is rated exactly, 1 if it is the target and 0 if not (the grammar writes the verdict right after
// it anyway): every symbolic tree's heuristic ranks such a result by its distance to the target, so the trees the
// model is compared with (and imitates) try the hit first, which a model that does no arithmetic cannot see.
// Weight 1 multiplies the model's probability by the value's; a large weight lets the value order the states and the
// model break its ties (64 was chosen on validation problems).
// Why a guide and not more training: APR models imitating the trees copied their shape but not their order, and the
// first such model (v1) solves 4.5-14.5% of 5-number problems without its guide and 45.5-69.5% with it (README, "Harder
// problems"); pairing a policy with a separate value is how game-playing searchers do it.
// The log-probs a call records are those of the guided distribution, and each sampled token keeps what the guide added
// to its choices' logits (CallSequence.ChoiceBias), so RL (`apr rl`, which decodes with the linked value) trains the guided policy. A model's
// manifest may link its value (Linked): solve, eval and serve then decode with it by default.
// ExactUpTo (`--value-exact-upto N`, manifest value_exact_upto; default 1) rates states of at most N numbers by an
// exact check (ExhaustiveSolver) instead of the scorer: with 2 the one-line rule "does one operation on these two numbers
// make the target", which the number MLP can get wrong (it reads magnitudes and residues, not values: 55 from
// [35, 20] rated 0.43, from [35, 1785] 0.46). The no-learning trees the model is measured against check
// 2-number states exactly too (`apr eval --exact-upto 2`), so with 2 the learned part of the comparison is the rest.
// Ratings are asked once per line per call (cached here; the scorer caches per state across calls). The guide owns
// its scorer (Dispose).
// Revisit (`--value-revisit F`): a state the thread knows was searched (SeenStates: its own nodes, its parent's knowledge
// at the spawn, its children's at the join) has its value multiplied by F, so threads try new states first; the symbolic
// trees' counterpart is "new states first" (`--symbolic-trees 2:4/1m`).
// BySize (`--value-model-by-size N=DIR`, manifest value_model_by_size): another value for problems of N numbers. The
// choice is made once per problem, by the ROOT's count of numbers (AprRuntime asks For(n)), so every thread of a 6-number
// problem (whose children hold 4 or 5 numbers) is rated by the value trained on such problems' states. Why per size: a
// value trained on 4-, 5- and 6-number problems alike rated 5-number problems worse than one trained without the 6-number
// problems (bench/results/eval/t-value456), so the default uses it for 6 numbers only (u-value-by-size; on 6 numbers it
// proved level with the other value on test and on a second validation set, val6b).
// Widen (`--value-widen T:W`, a trial): a child thread (level 1 or deeper) whose start state the value rates at least T
// explores W of its start node's successors (or all, if fewer) before it may move, spawn or give up: where the value
// says the child's start can likely reach the target, its first look is wide; elsewhere the model chooses the width as
// before. Why: misses-19 found 20 of 21 children at a reachable 4-number state of a 5-number problem told 16,000 return
// without the solution, their first look (3-6 of 18-20 successors) missing the one or two that reach it; told 32,000
// children look wider and solve 9 of those 13 problems, but widening every child costs the count of children
// (ab-told-above). Which children widen is the value's decision, a learned one. Measured, it did not help: with 0.3:8, 188
// against 189 of the 5-number validation problems told 16,000, the value's rating of a child's start being too weak a
// sign of which first looks miss (bench/results/eval/ai-value-widen); no manifest uses it.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference;

public sealed class ValueGuide : IDisposable
{
    /// <summary>Smallest value taken into the log (a rating of 0 would be minus infinity).</summary>
    public const double Floor = 1e-6;

    /// <summary>The weight when neither the caller nor the model's manifest gives one (chosen on validation problems: README, "Harder problems").</summary>
    public const double DefaultWeight = 64.0;

    /// <summary>
    /// The ranker directory <paramref name="dir"/> loaded as a value of <paramref name="weight"/>, its Source the
    /// directory relative to the working directory. A ranker that does not load is an ArgumentException,
    /// InvalidDataException or IOException naming it (Rankers.Load: a trained ranker or a ranker by state size).
    /// With <paramref name="bySize"/>, problems of those counts of numbers get the ranker named there instead (BySize).
    /// </summary>
    public static ValueGuide Load(string dir, double weight, int exactUpTo = 1, IReadOnlyDictionary<int, string>? bySize = null, double revisit = 1, WidenRule? widen = null)
    {
        var sizes = new Dictionary<int, ValueGuide>();
        try
        {
            foreach (var (n, sizeDir) in bySize ?? new Dictionary<int, string>())
            {
                if (ProblemLimits.CheckCount(n) is { } outOfRange) throw new ArgumentOutOfRangeException(nameof(bySize), n, $"a value by size: {outOfRange}");
                sizes[n] = new ValueGuide(Rankers.Load(sizeDir), weight, exactUpTo) { Source = Path.GetRelativePath(Environment.CurrentDirectory, sizeDir), Widen = widen };
            }
            return new(Rankers.Load(dir), weight, exactUpTo) { Source = Path.GetRelativePath(Environment.CurrentDirectory, dir), BySize = sizes, Revisit = revisit, Widen = widen };
        }
        catch
        {
            foreach (var g in sizes.Values) g.Dispose();
            throw;
        }
    }

    /// <summary>The value a model's manifest links (value_model, value_weight, value_exact_upto, value_model_by_size, value_revisit), loaded as Load does; null when it links none.</summary>
    public static ValueGuide? Linked(ModelConditioning conditioning)
    {
        ArgumentNullException.ThrowIfNull(conditioning);
        return conditioning.ValueModel is { } dir ? Load(dir, conditioning.ValueWeight ?? DefaultWeight, conditioning.ValueExactUpTo ?? 1, conditioning.ValueModelBySize, conditioning.ValueRevisit ?? 1) : null;
    }

    public ValueGuide(ISuccessorScorer scorer, double weight, int exactUpTo = 1)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        if (!(weight > 0) || double.IsInfinity(weight)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "the value weight must be positive and finite");
        if (exactUpTo is < 1 or > MaxExactUpTo) throw new ArgumentOutOfRangeException(nameof(exactUpTo), exactUpTo, $"the exact check covers states of 1..{MaxExactUpTo} numbers");
        Scorer = scorer;
        Weight = weight;
        ExactUpTo = exactUpTo;
    }

    /// <summary>Largest <see cref="ExactUpTo"/>: 2 (a 3-number check is a small search, not a rule; README, "A ranker that reads numbers").</summary>
    public const int MaxExactUpTo = 2;

    /// <summary>States of at most this many numbers are rated by an exact check, not by the scorer (1: only a final number, today's default).</summary>
    public int ExactUpTo { get; }

    public ISuccessorScorer Scorer { get; }

    public double Weight { get; }

    /// <summary>
    /// What the value of a state the thread knows was searched is multiplied by (SeenStates; `--value-revisit F`): 1, the
    /// default, remembers nothing; below 1 the runtime keeps what each thread knows and tries new states first. The
    /// runtime reads it from the guide it was given, for every size.
    /// </summary>
    public double Revisit
    {
        get => _revisit;
        init => _revisit = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Revisit), value, "the revisit factor must be in (0, 1]");
    }

    private readonly double _revisit = 1;

    /// <summary>A child whose start state this guide rates at least Threshold explores Width successors of it (all, if fewer) before anything else.</summary>
    public readonly record struct WidenRule(double Threshold, int Width)
    {
        /// <summary>Null when the rule is valid (Threshold in [0, 1], Width at least 1), else the message naming the bad part.</summary>
        public string? Error() => Threshold is < 0 or > 1 || double.IsNaN(Threshold) ? $"the widen threshold must be in [0, 1], got {Threshold}"
            : Width < 1 ? $"the widened first look must hold at least 1 successor, got {Width}" : null;

        public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Threshold:R}:{Width}");
    }

    /// <summary>Widened first looks of children (the header's Widen); null: the model chooses every width.</summary>
    public WidenRule? Widen
    {
        get => _widen;
        init => _widen = value is { } w && w.Error() is { } error ? throw new ArgumentOutOfRangeException(nameof(Widen), w, error) : value;
    }

    private readonly WidenRule? _widen;

    /// <summary>Where it came from (a ranker directory), for records; null if not said.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// The guides for problems of these counts of numbers (the root's), each with its own scorer and this guide's weight and
    /// exact check; a size not here is guided by this one. Owned by this guide (Dispose). Empty: one value for every size.
    /// </summary>
    public IReadOnlyDictionary<int, ValueGuide> BySize
    {
        get => _bySize;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Values.FirstOrDefault(g => g.BySize.Count > 0 || g.Weight != Weight || g.ExactUpTo != ExactUpTo) is not null)
                throw new ArgumentException("a guide by size takes its weight and exact check from the guide it serves, and has no sizes of its own", nameof(value));
            _bySize = value;
        }
    }

    private readonly IReadOnlyDictionary<int, ValueGuide> _bySize = new Dictionary<int, ValueGuide>();

    /// <summary>The guide for a problem of <paramref name="numbers"/> numbers (the root's count): BySize's, else this one.</summary>
    public ValueGuide For(int numbers) => _bySize.TryGetValue(numbers, out var guide) ? guide : this;

    /// <summary>Disposes the scorer if it holds resources (the guide owns it: a loaded ranker's network), and BySize's guides.</summary>
    public void Dispose()
    {
        (Scorer as IDisposable)?.Dispose();
        foreach (var guide in _bySize.Values) guide.Dispose();
    }

    /// <summary>A line's rating for one call: the value of the state it leads to, and that state's key (KnownStates.Key) if the line explores it.</summary>
    internal readonly record struct LineRating(double Value, string? Explored);

    /// <summary>
    /// The guided logits at a choice point: <paramref name="logits"/> copied into <paramref name="buffer"/> with the
    /// value added at each of <paramref name="allowed"/>, when every legal line leads to a state; else null
    /// (choose from the model's logits alone). <paramref name="lineValues"/> caches one call's ratings per line.
    /// With <paramref name="seen"/> (Revisit below 1) a line that explores a state the thread knows was searched has its
    /// value (after the floor) multiplied by the factor (SeenStates): a known state rated 0 ranks below a new one rated 0.
    /// </summary>
    internal float[]? Apply(GuidedCursor cursor, IReadOnlyList<int> allowed, ReadOnlySpan<float> logits, ref float[]? buffer, Dictionary<string, LineRating?> lineValues, SeenStates? seen = null)
    {
        var guided = Weigh(cursor, allowed, logits, ref buffer, lineValues, seen);
        if (_widen is not { } widen || !MustWiden(cursor.Grammar, widen, lineValues)) return guided;
        // Only lines that explore a successor of the start node may follow: the other tokens are masked out.
        var position = cursor.Position;
        var explore = new HashSet<int>();
        foreach (var (line, tokens) in cursor.Alive)
            if (line.StartsWith(TraceFormat.ExploringPrefix, StringComparison.Ordinal)) explore.Add(tokens[position]);
        if (explore.Count == 0 || explore.Count == allowed.Count) return guided;
        if (guided is null)
        {
            if (buffer is null || buffer.Length != logits.Length) buffer = new float[logits.Length];
            logits.CopyTo(buffer);
            guided = buffer;
        }
        foreach (var token in allowed)
            if (!explore.Contains(token)) guided[token] = float.NegativeInfinity;
        return guided;
    }

    /// <summary>Key of a call's rating of its thread's start state in the line cache (no trace line starts with NUL).</summary>
    private const string StartKey = "\0start";

    /// <summary>True when <paramref name="grammar"/>'s thread is a child still at its start node, has explored fewer than the rule's width of its successors with some left, and the value rates its start at least the threshold.</summary>
    private bool MustWiden(ThreadGrammar grammar, WidenRule widen, Dictionary<string, LineRating?> lineValues)
    {
        if (grammar.Settings.Level < 1 || grammar.FirstLook is not { } looked || looked >= widen.Width || grammar.UnexploredAtCurrent == 0) return false;
        if (!lineValues.TryGetValue(StartKey, out var start))
        {
            var value = new double[1];
            Rate(grammar.Target, [grammar.StartNode.Nums], value);
            lineValues[StartKey] = start = new LineRating(value[0], null);
        }
        return start!.Value.Value >= widen.Threshold;
    }

    private float[]? Weigh(GuidedCursor cursor, IReadOnlyList<int> allowed, ReadOnlySpan<float> logits, ref float[]? buffer, Dictionary<string, LineRating?> lineValues, SeenStates? seen)
    {
        var alive = cursor.Alive;
        var grammar = cursor.Grammar;
        List<(string Line, long[] State, bool Explores)>? missing = null;
        foreach (var (line, _) in alive)
        {
            if (lineValues.TryGetValue(line, out var known))
            {
                if (known is null) return null;
                continue;
            }
            var (state, explores) = StateOf(grammar, line);
            if (state is null)
            {
                lineValues[line] = null;
                return null;
            }
            (missing ??= []).Add((line, state, explores));
        }
        if (missing is not null)
        {
            var values = new double[missing.Count];
            Rate(grammar.Target, [.. missing.Select(m => m.State)], values);
            for (int i = 0; i < missing.Count; i++)
                lineValues[missing[i].Line] = new LineRating(values[i], missing[i].Explores && seen is not null ? KnownStates.Key(missing[i].State) : null);
        }
        seen?.Absorb(grammar);
        if (buffer is null || buffer.Length != logits.Length) buffer = new float[logits.Length];
        logits.CopyTo(buffer);
        int position = cursor.Position;
        foreach (var token in allowed)
        {
            double best = double.NegativeInfinity; // the best log-value among the lines through this token
            foreach (var (line, tokens) in alive)
            {
                if (tokens[position] != token) continue;
                var rating = lineValues[line]!.Value;
                double logValue = Math.Log(Math.Max(rating.Value, Floor));
                if (seen is not null && rating.Explored is { } key && seen.Known.Contains(key)) logValue += Math.Log(seen.Factor); // below the floor too
                best = Math.Max(best, logValue);
            }
            if (double.IsNegativeInfinity(best)) continue;
            buffer[token] = (float)(logits[token] + Weight * best);
        }
        return buffer;
    }

    /// <summary>The value of each of <paramref name="states"/>: the exact check for states of at most ExactUpTo numbers, the scorer (one batch, in order) for the rest.</summary>
    private void Rate(long target, IReadOnlyList<long[]> states, Span<double> values)
    {
        var rated = Enumerable.Range(0, states.Count).Where(i => states[i].Length > ExactUpTo).ToArray();
        var scores = new double[rated.Length];
        if (rated.Length > 0) Scorer.Score(target, [.. rated.Select(i => states[i])], scores);
        for (int i = 0; i < states.Count; i++)
            if (states[i].Length <= ExactUpTo) values[i] = Exact(target, states[i]);
        for (int k = 0; k < rated.Length; k++) values[rated[k]] = scores[k];
    }

    /// <summary>1 when <paramref name="state"/> (1..ExactUpTo numbers) can still make the target, else 0 (a negative number too: no legal state holds one).</summary>
    private static double Exact(long target, long[] state) =>
        state.All(x => x >= 0) && ExhaustiveSolver.IsSolvable(target, state) ? 1 : 0; // one number: IsSolvable compares it

    /// <summary>The state a choice line leads to (an operation's resulting numbers, a node's numbers), or null for other kinds; Explores: the line explores an operation.</summary>
    internal static (long[]? State, bool Explores) StateOf(ThreadGrammar grammar, string line)
    {
        if (!TraceLineParser.TryParse(line, out var parsed, out _)) return (null, false);
        return parsed switch
        {
            TraceLine.Exploring e => (e.Resulting, true),
            TraceLine.MovingTo m => (grammar.NodeNumbers(m.NodeId), false),
            TraceLine.SpawnChild s => (grammar.NodeNumbers(s.NodeId), false),
            TraceLine.StartSubSearch d => (grammar.NodeNumbers(d.NodeId), false),
            _ => (null, false),
        };
    }
}
