// Apr.Bench.Ranking: can a model of our size learn the ranking at all? The width-capped trees (issue 11) win or
// lose by which two successors of the root they keep: with a perfect ranking the tree 2:2 solves 98.5% of the test
// problems within 1,000 tokens, with its heuristic 45.5%; the APR models taught to rank (attempt 6) keep a successor
// that can still reach the target among their first two at 53.5% of the roots, the heuristic at 63.5%
// (bench/ranking.py). The APR model has to decide with the first operand token, in one forward pass, while it writes
// a trace. This probe asks the easier question of the same network: our LlamaForCausalLm, shaped like models/apr
// (or started from its weights with --init), reads one successor state as the trace writes it
// ("Current State: 86:[87, 49, 49]") and is trained directly on whether the target can still be reached (the
// logit of the number token 1 against that of 0 at the last position; cross-entropy; every distinct successor of
// every training problem's root, labels from ExhaustiveSolver). Ranking each test root's successors by that score
// gives the figure to set beside 53.5 / 63.5 / 100%: if this classifier cannot rank well, an APR model of this size
// will not either (the gap is capacity); if it can, the gap is in how the APR model is taught.
//
//   ./apr data problems --count 200000 --seed 401 --id-prefix big- --exclude bench/results/eval/test-problems.jsonl \
//       --out runs/probe/train-200k.jsonl
//   dotnet run -c Release --project bench/Apr.Bench.Ranking -- --train runs/probe/train-200k.jsonl --limit 1000 \
//       --steps 2000 --eval-every 500 --threads 1 --out runs/probe/ranking.json
// (bench/results/ranking-probe/recipe.txt has every committed run's command and finding.)
//
// Prints, every --eval-every steps, the loss per state beside what the training base rate alone scores on the same
// states (a model that learnt nothing), the top-2 ranking on the test roots beside the mult heuristic's on the same roots
// (with an exact sign test on the roots where only one of the two holds a reachable successor, and the mixed ranking:
// the model's first choice with the heuristic's first), and the ranking on --limit training roots (to see
// over-fitting); writes them as JSON. No assertions: a measurement.
//
// --child-states N adds, for each training root, the successors of N of its successors drawn at random (the states a
// child thread of the trees ranks), and every evaluation also ranks the successors of each test problem's first
// reachable root successor beside the heuristic ("child nodes"). --save DIR writes the trained classifier as a ranker
// directory (model, tokenizer, ranker.json) that `apr eval --ranker DIR` uses to rank the width-capped trees' successors
// (ReachabilityScorer, which reads the same state text and the same two logits). --listwise trains on
// whole nodes and adds a listwise term (the reachable successors' share of the node's softmax) to the per-state loss.
// --paths N adds the nodes of N random walks per training root down reachable successors to three numbers, with all
// their successors: every level a tree ranks at, where the ranking matters (children of 5-number trees rank 2-number
// states last; a ranker without them leaves that level to the heuristic). training_child_nodes counts them too.
// --net mlp trains Apr.Model.NumberMlp instead of the Llama network: the same states, labels, loss (the cross-entropy of
// the logit pair [0, margin]) and measurements, the numbers read as numbers (residues, exact value, magnitude) instead
// of as tokens; --save writes it as a "number-mlp" ranker (model.safetensors and ranker.json with its shape). With --init
// DIR it continues such a ranker (DIR's shape and weights; the schedule restarts: --lr is the new peak).
using Apr.Inference;
using System.Diagnostics;
using System.Text.Json;
using Apr.Core;
using Apr.Countdown;
using Apr.Data;
using Apr.Evaluation;
using Apr.Model;
using Apr.Tokenization;
using Apr.Training;
using TorchSharp;
using static TorchSharp.torch;

Options opt;
try { opt = Options.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
TorchProcess.SetThreads(opt.Threads);
var tokenizer = TraceTokenizer.FromJson(File.ReadAllText(Path.Combine(opt.ModelDir, "apr-tokenizer.json")));
var config = ModelConfig.Load(Path.Combine(opt.ModelDir, ModelFiles.ConfigFile));
bool mlp = opt.Net == "mlp";
// --net mlp --init DIR continues a saved number-MLP ranker: its ranker.json's shape (a --hidden that says otherwise is refused).
NumberMlpConfig mlpConfig;
try { mlpConfig = mlp && opt.Init is not null ? InitMlpConfig(opt.Init, opt.Hidden) : NumberMlpConfig.Default with { Hidden = opt.Hidden }; }
catch (Exception e) when (e is ArgumentException or InvalidDataException or JsonException or KeyNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
var (no, yes) = ReachabilityScorer.LabelTokens(tokenizer);
// --digits: every number as its digits' byte tokens (the tokenizer writes numbers of 1,000 and more that way), to see
// whether the one-token-per-number vocabulary is what makes the arithmetic hard to learn.
var digitIds = tokenizer.Encode("1023456789");
if (digitIds.Length != 10) throw new InvalidOperationException("the tokenizer does not write 1023456789 as ten digit tokens");
int[] digitToken = [.. "0123456789".Select(c => digitIds["1023456789".IndexOf(c)])];

var clock = Stopwatch.StartNew();
var trainProblems = ProblemFile.Read(opt.Train).Take(opt.TrainLimit).ToList();
var testProblems = ProblemFile.Read(opt.Test).Take(opt.Limit).ToList();
var trainRoots = Roots(trainProblems.Select(p => (p.Target, p.Nums.ToArray())));
var testRoots = Roots(testProblems.Select(p => (p.Target, p.Nums.ToArray())));
// --child-states N: also the successors of N successors of each training root, drawn at random (the states a child
// thread of the trees ranks), so that a ranker saved for `apr eval --ranker` has seen every level it is used at. The
// child-level test: each test problem's first reachable root successor (generation order), ranked the same way.
var childRng = new Random(opt.Seed + 1);
var trainChildren = opt.ChildStates > 0 ? Roots(trainProblems.SelectMany(p => Successors(p.Target, p.Nums.ToArray()).OrderBy(_ => childRng.Next()).Take(opt.ChildStates).Select(n => (p.Target, n)))) : [];
var testChildren = Roots(testProblems.SelectMany(p => Successors(p.Target, p.Nums.ToArray()).Where(n => ExhaustiveSolver.IsSolvable(p.Target, n)).Take(1).Select(n => (p.Target, n))));
// --paths N: for each training root, N random walks down successors from which the target can still be reached, to a
// node of three numbers, with every successor of each node on the walk (the states a thread ranks where its ranking
// matters: at a node that cannot reach the target every order fails alike). These reach the two-number states a child
// thread of a 5-number tree ranks last, which --child-states does not.
var pathRng = new Random(opt.Seed + 2);
var trainPaths = opt.Paths > 0 ? Roots(trainProblems.SelectMany(p => WalkNodes(p.Target, p.Nums.ToArray(), opt.Paths, pathRng))) : [];
trainChildren = [.. trainChildren, .. trainPaths];
var trainProbe = trainRoots.Take(opt.Limit).ToList();
var pairs = trainRoots.Concat(trainChildren).SelectMany(r => r.States.Zip(r.Labels)).ToList();
if (mlp && pairs.Concat(testRoots.SelectMany(r => r.States.Zip(r.Labels))).Max(p => p.First.Nums.Length) is var widest && widest > mlpConfig.MaxNumbers)
{
    if (opt.Init is not null)
    {
        Console.Error.WriteLine($"error: --init {opt.Init} rates states of at most {mlpConfig.MaxNumbers} numbers; the data holds states of {widest}");
        return 2;
    }
    mlpConfig = mlpConfig with { MaxNumbers = widest };
}
var rng = new Random(opt.Seed);
double reachableShare = pairs.Average(p => p.Second ? 1.0 : 0.0);
double baseEntropy = BaseRateLoss(reachableShare, reachableShare);
// What a model that knows only the training base rate scores on the test states (their reachable share differs).
double testReachable = testRoots.SelectMany(r => r.Labels).Average(l => l ? 1.0 : 0.0);
double testBaseLoss = BaseRateLoss(testReachable, reachableShare);
double chance = testRoots.Where(r => r.Labels.Any(l => l)).Average(r => Chance(r.States.Length, r.Labels.Count(l => l), 2));
double heuristicRanking = testRoots.Where(r => r.Labels.Any(l => l)).Average(r => HeuristicHit(r) ? 1.0 : 0.0);
double heuristicChildRanking = testChildren.Average(r => HeuristicHit(r) ? 1.0 : 0.0);
Console.WriteLine($"data: {trainRoots.Count:N0} training roots and {trainChildren.Count:N0} child nodes, {pairs.Count:N0} states ({100 * reachableShare:F1}% reachable); {testRoots.Count} test roots; " +
                  $"two successors drawn at random include a reachable one at {100 * chance:F1}% of the test roots, the mult heuristic's first two at " +
                  $"{100 * heuristicRanking:F1}% (at {testChildren.Count} child nodes {100 * heuristicChildRanking:F1}%); {clock.Elapsed.TotalSeconds:F0} s");

using nn.Module model = TorchProcess.Seeded((ulong)opt.Seed, () => mlp ? (nn.Module)new NumberMlp(mlpConfig) : new LlamaForCausalLm(config));
if (opt.Init is not null) ModelFiles.LoadWeights(model, Path.Combine(opt.Init, ModelFiles.WeightsFile));
using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, p.parameter)), 0.9, 0.95, 1e-8, 0.01);
var history = new List<object>();
int cursor = pairs.Count;
// --listwise: a batch is whole nodes (every successor of a few roots or child nodes, about --batch states), and the loss
// adds to the per-state cross-entropy a listwise term per node with both kinds of successors: minus the log of the
// softmax mass (over the node's margins) that falls on its reachable successors. The trees only compare siblings, so
// this asks the network for what they use: which of one node's successors, not how likely any state is on its own.
var nodes = opt.Listwise ? trainRoots.Concat(trainChildren).Where(r => r.States.Length > 0).ToList() : [];
int nodeCursor = nodes.Count;
long statesSeen = 0; // batches of whole nodes hold more than --batch states
for (int step = 1; step <= opt.Steps; step++)
{
    var chunk = new List<(State S, bool Label)>(opt.Batch);
    var groups = new List<(int Start, int Count)>();
    while (chunk.Count < opt.Batch)
    {
        if (opt.Listwise)
        {
            if (nodeCursor == nodes.Count) { Shuffle(nodes, rng); nodeCursor = 0; }
            var node = nodes[nodeCursor++];
            groups.Add((chunk.Count, node.States.Length));
            chunk.AddRange(node.States.Zip(node.Labels));
            continue;
        }
        if (cursor == pairs.Count) { Shuffle(pairs, rng); cursor = 0; }
        chunk.Add(pairs[cursor++]);
    }
    statesSeen += chunk.Count;
    double lr = opt.Lr * Math.Min(1.0, step / 50.0) * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * step / opt.Steps)));
    float loss;
    using (var scope = NewDisposeScope())
    {
        var logits = Scores2(model, chunk.Select(c => c.S).ToList());
        var target = tensor(chunk.Select(c => c.Label ? 1L : 0L).ToArray());
        var l = nn.functional.cross_entropy(logits, target);
        if (opt.Listwise)
        {
            var margin = logits[.., 1] - logits[.., 0];
            var terms = new List<Tensor>();
            foreach (var (start, count) in groups)
            {
                var labels = chunk.Skip(start).Take(count).Select(c => c.Label).ToArray();
                if (labels.All(x => x) || !labels.Any(x => x)) continue; // nothing to rank between
                var m = margin.narrow(0, start, count);
                var positive = tensor(labels.Select((x, i) => (x, i)).Where(t => t.x).Select(t => (long)t.i).ToArray());
                terms.Add(m.logsumexp(0) - m.index_select(0, positive).logsumexp(0));
            }
            if (terms.Count > 0) l = l + stack(terms).mean();
        }
        optimizer.ZeroGrad();
        l.backward();
        optimizer.ClipGradients(1.0);
        optimizer.Step(lr);
        loss = l.item<float>();
    }
    if (step % opt.EvalEvery == 0 || step == opt.Steps)
    {
        var (testLoss, testRank, onlyModel, onlyHeuristic, mixedRank) = Evaluate(model, testRoots);
        var (trainLoss, trainRank, _, _, _) = Evaluate(model, trainProbe);
        var (childLoss, childRank, _, _, _) = Evaluate(model, testChildren);
        double p = SignTest(onlyModel, onlyHeuristic);
        double epochs = (double)statesSeen / pairs.Count;
        Console.WriteLine($"step {step}/{opt.Steps} ({epochs:F2} passes): batch loss {loss:F3}  state loss {testLoss:F3} (train {trainLoss:F3}; the base rate alone scores {testBaseLoss:F3} on the test states, {baseEntropy:F3} on the training states)  " +
                          $"top-2 ranking {100 * testRank:F1}% of test roots (train {100 * trainRank:F1}%; against the heuristic: {onlyModel} roots only the model gets, " +
                          $"{onlyHeuristic} only the heuristic, sign test p = {p:F3}; the model's first with the heuristic's first {100 * mixedRank:F1}%)  child nodes {100 * childRank:F1}% (heuristic {100 * heuristicChildRanking:F1}%, loss {childLoss:F3})  {clock.Elapsed.TotalMinutes:F1} min");
        history.Add(new { step, passes = Math.Round(epochs, 2), batch_loss = Math.Round(loss, 4), test_state_loss = Math.Round(testLoss, 4), test_ranking = Pct(testRank),
                          test_roots_only_model = onlyModel, test_roots_only_heuristic = onlyHeuristic, sign_test_p = Math.Round(p, 4), test_mixed_ranking = Pct(mixedRank),
                          test_child_ranking = Pct(childRank), test_child_state_loss = Math.Round(childLoss, 4),
                          train_state_loss = Math.Round(trainLoss, 4), train_ranking = Pct(trainRank), minutes = Math.Round(clock.Elapsed.TotalMinutes, 1) });
        if (opt.Out is not null)
            AtomicFile.WriteAllText(opt.Out, JsonSerializer.Serialize(new
            {
                command = "dotnet run -c Release --project bench/Apr.Bench.Ranking -- " + string.Join(' ', args),
                model = mlp ? (object)new { network = "number-mlp", config = JsonDocument.Parse(mlpConfig.ToJson()).RootElement, parameters = model.parameters().Sum(p => p.numel()) }
                            : new { config.NumHiddenLayers, config.HiddenSize, parameters = config.ParameterCount, init = opt.Init },
                training_roots = trainRoots.Count, training_states = pairs.Count, reachable_share = Pct(reachableShare), base_rate_entropy = Math.Round(baseEntropy, 4),
                test_states = testRoots.Sum(r => r.States.Length), test_reachable_share = Pct(testReachable), test_base_rate_loss = Math.Round(testBaseLoss, 4),
                test_roots = testRoots.Count, random_ranking = Pct(chance), heuristic_ranking = Pct(heuristicRanking),
                training_child_nodes = trainChildren.Count, training_path_nodes = trainPaths.Count, test_child_nodes = testChildren.Count, heuristic_child_ranking = Pct(heuristicChildRanking), history,
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
if (opt.Save is not null)
{
    // A ranker directory for `apr eval --ranker` (ReachabilityScorer): the model, its tokenizer, and a
    // manifest with the command and the last measurement.
    Directory.CreateDirectory(opt.Save);
    if (model is LlamaForCausalLm llama)
    {
        ModelFiles.Save(llama, opt.Save);
        AtomicFile.WriteAllText(Path.Combine(opt.Save, ReachabilityScorer.TokenizerFile), File.ReadAllText(Path.Combine(opt.ModelDir, ReachabilityScorer.TokenizerFile)));
    }
    else
    {
        ModelFiles.SaveWeights(model, Path.Combine(opt.Save, ModelFiles.WeightsFile));
    }
    AtomicFile.WriteAllText(Path.Combine(opt.Save, ReachabilityScorer.ManifestFile), JsonSerializer.Serialize(new
    {
        task = "reachability",
        network = mlp ? ReachabilityScorer.NumberMlpNetwork : "llama",
        config = mlp ? JsonDocument.Parse(mlpConfig.ToJson()).RootElement : (JsonElement?)null,
        input = mlp ? "the target and the state's numbers (Apr.Model.NumberMlp)" : "Current State: TARGET:[a, b, ...] (one state as a trace writes it)",
        answer = mlp ? "one logit: the target can still be reached" : "the logit of the number token 1 (the target can still be reached) against that of 0, at the last position",
        command = "dotnet run -c Release --project bench/Apr.Bench.Ranking -- " + string.Join(' ', args),
        // The sizes of the states it learnt from: the scorer rates only those (others keep the heuristic's order).
        state_sizes = trainRoots.Concat(trainChildren).SelectMany(r => r.Sizes).Distinct().Order().ToArray(),
        steps = opt.Steps, seed = opt.Seed, listwise = opt.Listwise, training_roots = trainRoots.Count, training_child_nodes = trainChildren.Count, paths = opt.Paths, training_path_nodes = trainPaths.Count, training_states = pairs.Count,
        minutes = Math.Round(clock.Elapsed.TotalMinutes, 1), last = history.LastOrDefault(),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    Console.WriteLine($"saved the ranker to {opt.Save}");
}
return 0;

// (N, 2) logits [no, yes] at each sequence's last token: the scorer `apr eval --ranker` uses reads the same two. The
// number MLP's one logit is the pair [0, margin], whose cross-entropy is the logistic loss of the margin.
Tensor Scores2(nn.Module m, List<State> states)
{
    if (m is LlamaForCausalLm llama) return ReachabilityScorer.Logits2(llama, [.. states.Select(x => x.Ids!)], no, yes);
    var margin = ((NumberMlp)m).Logits([.. states.Select(x => (x.Target, (IReadOnlyList<long>)x.Nums))]);
    return stack([zeros_like(margin), margin], 1);
}

// Cross-entropy per state (nats; set it beside testBaseLoss, what the base rate alone scores), the top-2 ranking, and the
// roots (with a reachable successor) where only the model's first two, or only the heuristic's, hold a reachable one.
// Mixed: the model's first choice with the heuristic's first (its second when the two coincide), to see whether the two
// know different things.
(double Loss, double Ranking, int OnlyModel, int OnlyHeuristic, double Mixed) Evaluate(nn.Module m, List<Root> roots)
{
    using var noGrad = no_grad();
    double loss = 0;
    int states = 0, good = 0, solvable = 0, onlyModel = 0, onlyHeuristic = 0, mixed = 0;
    foreach (var r in roots)
    {
        using var scope = NewDisposeScope();
        var s = Scores2(m, [.. r.States]);
        var margin = (s[.., 1] - s[.., 0]).data<float>().ToArray();
        loss += nn.functional.cross_entropy(s, tensor(r.Labels.Select(l => l ? 1L : 0L).ToArray()), reduction: nn.Reduction.Sum).item<float>();
        states += margin.Length;
        if (!r.Labels.Any(l => l)) continue;
        solvable++;
        var top = Enumerable.Range(0, margin.Length).OrderByDescending(i => margin[i]).ThenBy(i => i).Take(2).ToList();
        int first = top[0];
        mixed += r.Labels[first] || r.HeuristicOrder.Where(i => i != first).Take(1).Any(i => r.Labels[i]) ? 1 : 0;
        bool hit = top.Any(i => r.Labels[i]), heuristicHit = HeuristicHit(r);
        good += hit ? 1 : 0;
        if (hit && !heuristicHit) onlyModel++;
        if (heuristicHit && !hit) onlyHeuristic++;
    }
    return (loss / states, (double)good / solvable, onlyModel, onlyHeuristic, (double)mixed / solvable);
}

// Every distinct successor of each node (a problem's root, or a node below it), written as the trace writes a state,
// with its label and the heuristic's order.
List<Root> Roots(IEnumerable<(long Target, long[] Nums)> nodes)
{
    var roots = new List<Root>();
    foreach (var (target, nums) in nodes)
    {
        var next = Successors(target, nums).ToList();
        // The width-capped trees' order: lowest mult heuristic first, ties in the order generated.
        var keys = next.Select(n => Heuristics.Mult(n, target)).ToList();
        roots.Add(new Root([.. next.Select(n => new State(mlp ? null : Encode(ReachabilityScorer.StateText(target, n)), target, n))],
                           [.. next.Select(n => n.Length == 1 ? n[0] == target : ExhaustiveSolver.IsSolvable(target, n))],
                           [.. Enumerable.Range(0, keys.Count).OrderBy(i => keys[i]).ThenBy(i => i)], [.. next.Select(n => n.Length).Distinct()]));
    }
    return roots;
}

// The distinct successor states of a node, in the order the solver generates them (pairs i < j, then operations).
static IEnumerable<long[]> Successors(long target, long[] nums)
{
    var seen = new HashSet<string>();
    var ops = new Operation[Arithmetic.MaxPerPair];
    for (int i = 0; i < nums.Length; i++)
        for (int j = i + 1; j < nums.Length; j++)
        {
            int n = Arithmetic.Combine(nums[i], nums[j], ops);
            for (int k = 0; k < n; k++)
            {
                var next = nums.Where((_, x) => x != i && x != j).Append(ops[k].Result).ToArray();
                if (seen.Add(string.Join(',', next.Order()))) yield return next;
            }
        }
}

int[] Encode(string text)
{
    var ids = tokenizer.Encode(text);
    if (!opt.Digits) return ids;
    return [.. ids.SelectMany(id => tokenizer.TryGetNumber(id, out int v) ? v.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => digitToken[c - '0']) : [id])];
}

// The nodes of N random walks from a root down reachable successors, each walk ending at a node of three numbers; each
// node once per root.
static IEnumerable<(long Target, long[] Nums)> WalkNodes(long target, long[] root, int walks, Random rng)
{
    var seen = new HashSet<string>();
    for (int w = 0; w < walks; w++)
    {
        var node = root;
        while (node.Length > 3)
        {
            var reachable = Successors(target, node).Where(n => ExhaustiveSolver.IsSolvable(target, n)).ToList();
            if (reachable.Count == 0) break;
            node = reachable[rng.Next(reachable.Count)];
            if (seen.Add(string.Join(',', node.Order()))) yield return (target, node);
        }
    }
}

// The width-capped trees' choice: the first two successors in the heuristic's order.
static bool HeuristicHit(Root r) => r.HeuristicOrder.Take(2).Any(i => r.Labels[i]);

// The shape of the number-MLP ranker in directory init (its ranker.json), checked against --hidden when given otherwise.
static NumberMlpConfig InitMlpConfig(string init, int hidden)
{
    using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(init, ReachabilityScorer.ManifestFile)));
    if (!manifest.RootElement.TryGetProperty("network", out var net) || net.GetString() != ReachabilityScorer.NumberMlpNetwork)
        throw new ArgumentException($"--init {init}: not a number-MLP ranker (its {ReachabilityScorer.ManifestFile} has no \"network\": \"{ReachabilityScorer.NumberMlpNetwork}\")");
    var c = NumberMlpConfig.FromJson(manifest.RootElement.GetProperty("config").GetRawText());
    if (hidden != NumberMlpConfig.Default.Hidden && hidden != c.Hidden)
        throw new ArgumentException($"--hidden {hidden}: --init {init} has hidden {c.Hidden}");
    return c;
}

// Cross-entropy per state of always predicting `rate` on states of which `share` are reachable (rate = share: the entropy).
static double BaseRateLoss(double share, double rate) => -(share * Math.Log(rate) + (1 - share) * Math.Log(1 - rate));

// Two-sided exact sign test on the discordant roots: how likely a split at least this uneven is if neither ranking is better.
static double SignTest(int a, int b)
{
    int n = a + b, k = Math.Min(a, b);
    if (n == 0) return 1;
    double tail = 0, term = Math.Pow(0.5, n); // C(n, 0) / 2^n
    for (int i = 0; i <= k; i++)
    {
        tail += term;
        term *= (double)(n - i) / (i + 1);
    }
    return Math.Min(1, 2 * tail);
}

static double Chance(int n, int reachable, int k)
{
    double miss = 1;
    for (int i = 0; i < Math.Min(k, n); i++) miss *= Math.Max(0, n - reachable - i) / (double)(n - i);
    return 1 - miss;
}

static void Shuffle<T>(List<T> list, Random rng)
{
    for (int i = list.Count - 1; i > 0; i--)
    {
        int j = rng.Next(i + 1);
        (list[i], list[j]) = (list[j], list[i]);
    }
}

static double Pct(double x) => Math.Round(100 * x, 1);

internal sealed record Root(State[] States, bool[] Labels, int[] HeuristicOrder, int[] Sizes);

// One successor state: its tokens (the Llama network; null for the number MLP) and its numbers.
internal sealed record State(int[]? Ids, long Target, long[] Nums);

internal sealed record Options(string Train, string Test, int Limit, int TrainLimit, string ModelDir, string? Init, int Steps, int Batch,
                               double Lr, int EvalEvery, int Threads, int Seed, string? Out, bool Digits, int ChildStates, string? Save, bool Listwise, int Paths,
                               string Net, int Hidden)
{
    public static Options Parse(string[] args)
    {
        var o = new Options("runs/h6/train-problems.jsonl", "bench/results/eval/test-problems.jsonl", 200, int.MaxValue, "models/apr", null,
                            1500, 256, 1e-3, 250, 2, 0, null, false, 0, null, false, 0, "llama", NumberMlpConfig.Default.Hidden);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--train" => o with { Train = Next() },
                "--test" => o with { Test = Next() },
                "--limit" => o with { Limit = int.Parse(Next()) },
                "--train-limit" => o with { TrainLimit = int.Parse(Next()) },
                "--model" => o with { ModelDir = Next() },
                "--init" => o with { Init = Next() },
                "--steps" => o with { Steps = int.Parse(Next()) },
                "--batch" => o with { Batch = int.Parse(Next()) },
                "--lr" => o with { Lr = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--eval-every" => o with { EvalEvery = int.Parse(Next()) },
                "--threads" => o with { Threads = int.Parse(Next()) },
                "--seed" => o with { Seed = int.Parse(Next()) },
                "--out" => o with { Out = Next() },
                "--digits" => o with { Digits = true },
                "--child-states" => o with { ChildStates = int.Parse(Next()) },
                "--save" => o with { Save = Next() },
                "--listwise" => o with { Listwise = true },
                "--paths" => o with { Paths = int.Parse(Next()) },
                "--net" => o with { Net = Next() },
                "--hidden" => o with { Hidden = int.Parse(Next()) },
                _ => throw new ArgumentException($"unknown option '{args[i]}' (--train --test --limit --train-limit --model --init --steps --batch --lr --eval-every --threads --seed --out --digits --child-states --save --listwise --paths --net --hidden)"),
            };
        }
        foreach (var (what, path) in new[] { ("--train", o.Train), ("--test", o.Test), ("--model", Path.Combine(o.ModelDir, ModelFiles.ConfigFile)),
                                              ("--model", Path.Combine(o.ModelDir, "apr-tokenizer.json")) })
            if (!File.Exists(path))
                throw new ArgumentException($"{what}: '{path}' does not exist" +
                                            (what == "--train" ? " (write problems with ./apr data problems; recipe: bench/results/ranking-probe/recipe.txt)" : ""));
        if (o.Init is not null && !File.Exists(Path.Combine(o.Init, ModelFiles.WeightsFile)))
            throw new ArgumentException($"--init: '{Path.Combine(o.Init, ModelFiles.WeightsFile)}' does not exist");
        if (o.Steps < 1 || o.Batch < 1 || o.EvalEvery < 1 || o.Limit < 1 || o.TrainLimit < 1 || o.Threads < 1)
            throw new ArgumentException("--steps, --batch, --eval-every, --limit, --train-limit and --threads must be at least 1");
        if (o.ChildStates < 0) throw new ArgumentException($"--child-states must be at least 0, got {o.ChildStates}");
        if (o.Paths < 0) throw new ArgumentException($"--paths must be at least 0, got {o.Paths}");
        if (o.Net is not ("llama" or "mlp")) throw new ArgumentException($"--net must be llama or mlp, got '{o.Net}'");
        if (o.Net == "mlp" && o.Digits) throw new ArgumentException("--net mlp reads numbers as numbers: drop --digits");
        if (o.Net == "mlp" && o.Init is not null && !File.Exists(Path.Combine(o.Init, ReachabilityScorer.ManifestFile)))
            throw new ArgumentException($"--net mlp --init continues a number-MLP ranker directory (written by --save): '{Path.Combine(o.Init, ReachabilityScorer.ManifestFile)}' does not exist");
        if (o.Hidden < 1) throw new ArgumentException($"--hidden must be at least 1, got {o.Hidden}");
        if (o.Save is not null && o.Digits) throw new ArgumentException("--save writes a ranker for `apr eval --ranker`, which reads numbers as single tokens: drop --digits");
        return o;
    }
}
