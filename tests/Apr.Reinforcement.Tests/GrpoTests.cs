// GRPO on hand-made numbers and a tiny model: advantages, the loss's tokens, the update's sign, KL
// against itself, log-probabilities recomputed under the masks (and a value's bias) the engine sampled with, and a short
// run end to end that changes the weights and resumes.
using Apr.Countdown;
using Apr.Inference;
using Apr.Model;
using Apr.Reinforcement;
using Apr.Testing;
using Apr.Tokenization;
using static TorchSharp.torch;
using Apr.Protocol;

namespace Apr.Reinforcement.Tests;

public sealed class GrpoTests
{
    private static readonly TraceTokenizer Tokenizer = TraceTokenizer.Default;

    private static LlamaForCausalLm TinyModel(int seed = 1)
    {
        manual_seed(seed);
        return new LlamaForCausalLm(ModelConfig.Tiny(Tokenizer.VocabSize));
    }

    [Fact]
    public void Advantages_of_hand_made_groups()
    {
        Assert.All(Grpo.Advantages([1, 1, 1, 1, 1]), a => Assert.Equal(0, a, 12));
        Assert.All(Grpo.Advantages([0, 0, 0]), a => Assert.Equal(0, a, 12));
        // One success in five: mean 0.2, std 0.4.
        var one = Grpo.Advantages([0, 1, 0, 0, 0]);
        Assert.Equal([-0.5, 2.0, -0.5, -0.5, -0.5], one.Select(a => Math.Round(a, 6)));
        Assert.Equal(0, one.Sum(), 9);
        Assert.Equal(0.9, Grpo.Reward(true, 2000, 0.05), 12);
        Assert.Equal(-0.1, Grpo.Reward(false, 2000, 0.05), 12);
        Assert.Equal(1.0, Grpo.Reward(true, 2000, 0), 12);
    }

    [Fact]
    public void Kl_is_zero_against_itself_and_positive_otherwise()
    {
        var logp = tensor(new[] { -0.1f, -2f, -0.7f });
        var (_, kl, _) = Grpo.TokenLoss(logp, logp, logp, tensor(new[] { 1f, -1f, 0.5f }), 0.2, 0.01);
        Assert.All(kl.data<float>().ToArray(), v => Assert.Equal(0f, v, 6));
        var (_, kl2, _) = Grpo.TokenLoss(logp, logp, tensor(new[] { -0.3f, -1f, -0.7f }), tensor(new[] { 1f, -1f, 0.5f }), 0.2, 0.01);
        var values = kl2.data<float>().ToArray();
        Assert.True(values[0] > 0 && values[1] > 0);
        Assert.Equal(0f, values[2], 6);
    }

    [Fact]
    public void The_surrogate_is_clipped_beyond_epsilon()
    {
        // ratio e^0.5 = 1.65 with a positive advantage: clipped at 1.2; with a negative one, the unclipped term is the minimum.
        var (loss, _, clipped) = Grpo.TokenLoss(tensor(new[] { 0.5f, 0.5f }), tensor(new[] { 0f, 0f }), tensor(new[] { 0.5f, 0.5f }), tensor(new[] { 1f, -1f }), 0.2, 0);
        var l = loss.data<float>().ToArray();
        Assert.Equal(-1.2f, l[0], 5);
        Assert.Equal(MathF.Exp(0.5f), l[1], 5);
        Assert.Equal([true, false], clipped.data<bool>().ToArray());
    }

    private static ProblemRecord Rollout(LlamaForCausalLm model, CountdownProblem problem, ulong seed, SearchMethod method = SearchMethod.Apr, ValueGuide? value = null)
    {
        using var decoder = new TorchDecoder(model, 16, 512);
        var runtime = new AprRuntime(decoder, Tokenizer, new SolveOptions(method, true, ChoicePolicy.Model, new SamplingOptions(1.0), GuardOptions.Default with { ContextPerThread = 512 }, Value: value));
        return runtime.Solve(problem, seed);
    }

    /// <summary>A value that rates states by their numbers (far from uniform, so it moves the draws).</summary>
    private sealed class SumScorer : ISuccessorScorer
    {
        public void Score(long target, IReadOnlyList<long[]> states, Span<double> scores)
        {
            for (int i = 0; i < states.Count; i++) scores[i] = 0.05 + 0.9 * (states[i].Sum() % 7) / 6.0;
        }
    }

    private static readonly CountdownProblem Problem = new("p", 24, [2, 3, 4, 1]);

    [Slow]
    [Fact]
    public void Sequences_hold_sampled_tokens_only_with_the_logprobs_the_engine_drew_them_with()
    {
        using var model = TinyModel();
        var record = Rollout(model, Problem, 5);
        var sequences = RlSequence.FromRecord(record, 1.0);
        int sampled = record.Calls.Sum(c => c.SampledTokens), inserted = record.Calls.Sum(c => c.InsertedTokens);
        Assert.True(sampled > 0 && inserted > sampled, $"{sampled} sampled, {inserted} inserted");
        Assert.Equal(sampled, sequences.Sum(s => s.Positions.Length));
        Assert.All(sequences, s => Assert.Equal(1.0 / record.Calls.Count, s.Weight, 12));
        foreach (var s in sequences)
            for (int j = 0; j < s.Positions.Length; j++)
                Assert.Contains(s.Ids[s.Positions[j]], s.Choices[j]!);
        // Recomputed under the same masks with the same weights: the engine's log-probabilities.
        using (no_grad())
        {
            var lp = MaskedLogProbs.Compute(model, sequences).data<float>().ToArray();
            var old = sequences.SelectMany(s => s.OldLogProbs).ToArray();
            for (int i = 0; i < lp.Length; i++) Assert.True(Math.Abs(lp[i] - old[i]) < 2e-4, $"token {i}: {lp[i]} vs engine {old[i]}");
            Assert.True(old.Any(v => v < -1e-3), "some choices were not certain");
        }
    }

    [Slow]
    [Fact]
    public void With_a_value_the_recomputed_logprobs_are_those_of_the_guided_policy_the_rollout_was_drawn_from()
    {
        using var model = TinyModel(2);
        using var value = new ValueGuide(new SumScorer(), 2.0);
        var record = Rollout(model, Problem, 5, value: value);
        var sequences = RlSequence.FromRecord(record, 1.0);
        var biased = sequences.Where(s => s.Bias is not null).SelectMany(s => s.Bias!).Count(b => b is not null);
        Assert.True(biased > 0, "the value weighed no choice");
        using (no_grad())
        {
            var lp = MaskedLogProbs.Compute(model, sequences).data<float>().ToArray();
            var old = sequences.SelectMany(s => s.OldLogProbs).ToArray();
            for (int i = 0; i < lp.Length; i++) Assert.True(Math.Abs(lp[i] - old[i]) < 2e-4, $"token {i}: {lp[i]} vs engine {old[i]}");
            // Without the bias the same tokens get the model's own log-probabilities, which are not what they were drawn with.
            var plain = MaskedLogProbs.Compute(model, sequences.Select(s => s with { Bias = null }).ToList()).data<float>().ToArray();
            Assert.True(plain.Zip(old).Max(p => Math.Abs(p.First - p.Second)) > 1e-2, "the bias should change the recomputed log-probs");
        }
    }

    [Fact]
    public void Inserted_tokens_do_not_enter_the_loss()
    {
        using var model = TinyModel();
        var record = Rollout(model, Problem, 6);
        var before = RlSequence.FromRecord(record, 1.0);
        // Rewrite every inserted token's log-prob: the sequences (and so the loss) must not change.
        var altered = record with
        {
            Calls = record.Calls.Select(c => c with { Tokens = c.Tokens.Select(t => t.Source == TokenSource.Inserted ? t with { LogProb = -5f } : t).ToArray() }).ToList(),
        };
        var after = RlSequence.FromRecord(altered, 1.0);
        Assert.Equal(before.SelectMany(s => s.Positions), after.SelectMany(s => s.Positions));
        Assert.Equal(before.SelectMany(s => s.OldLogProbs), after.SelectMany(s => s.OldLogProbs));
        // Every trained position holds a sampled token of its call; prompts and inserted spans are never trained.
        var calls = record.Calls.Where(c => c.SampledTokens > 0).ToList();
        Assert.Equal(calls.Count, before.Count);
        for (int i = 0; i < calls.Count; i++)
        {
            var sampledAt = calls[i].Tokens.Select((t, k) => (t, k)).Where(x => x.t.Source == TokenSource.Sampled).Select(x => calls[i].PromptIds.Count + x.k);
            Assert.Equal(sampledAt, before[i].Positions);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    public void An_update_moves_the_probability_of_a_token_with_the_sign_of_its_advantage(double advantage)
    {
        using var model = TinyModel(3);
        using var reference = TinyModel(3);
        var record = Rollout(model, Problem, 7);
        var sequences = RlSequence.FromRecord(record, advantage);
        double Mean()
        {
            using var _ = no_grad();
            return MaskedLogProbs.Compute(model, sequences).mean().item<float>();
        }
        double before = Mean();
        using var optimizer = new Apr.Training.AdamW(model.NamedParameters(), weightDecay: 0);
        var options = new RlOptions { ModelDirectory = "-", Problems = [Problem], OutputDirectory = "-", Lr = 1e-3, Passes = 2, KlBeta = 0 };
        GrpoTrainer.UpdateForTests(model, reference, optimizer, sequences, options, 1);
        double after = Mean();
        Assert.True(advantage > 0 ? after > before + 1e-4 : after < before - 1e-4, $"mean log-prob {before} -> {after} with advantage {advantage}");
    }

    [Slow]
    [Fact]
    public void A_few_steps_on_the_tiny_preset_run_end_to_end_change_the_weights_and_resume()
    {
        var dir = Directory.CreateTempSubdirectory("apr-rl-").FullName;
        try
        {
            using (var model = TinyModel(4)) ModelFiles.Save(model, Path.Combine(dir, "start"));
            File.WriteAllText(Path.Combine(dir, "start", "tokenizer.json"), Tokenizer.ToJson());
            var problems = new ProblemGenerator(ProblemDistribution.Paper).Generate(6, 2);
            var options = new RlOptions
            {
                ModelDirectory = Path.Combine(dir, "start"), Problems = problems, Validation = problems.Take(2).ToList(), OutputDirectory = Path.Combine(dir, "rl"),
                Steps = 2, ProblemsPerStep = 2, Group = 3, LatencyWeight = 0.1, ValInterval = 1, CheckpointInterval = 1, Threads = 1, Slots = 16,
                Guards = GuardOptions.Default with { ContextPerThread = 384 }, Lr = 1e-3,
            };
            var result = GrpoTrainer.Run(options);
            Assert.Equal(2, result.Steps);
            Assert.Equal(0, result.FirstValidation!.Step);
            var metrics = new RlMetrics(Path.Combine(dir, "rl", "metrics.jsonl"));
            Assert.Equal([1, 2], metrics.Steps.Select(s => s.Step));
            Assert.True(metrics.Steps.Sum(s => s.TrainedRollouts) > 0, "the latency term should make rewards differ");
            var (start, _) = ModelLoader.Load(Path.Combine(dir, "start"));
            var (trained, _) = ModelLoader.Load(Path.Combine(dir, "rl"));
            var a = start.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
            double change = trained.NamedParameters().Sum(p => (p.Parameter - a[p.Name]).abs().max().item<float>());
            Assert.True(change > 1e-6, $"weights changed by {change}");
            Assert.True(File.Exists(Path.Combine(dir, "rl", "reward.png")));
            // Resume up to step 3: steps 1-2 are kept, step 3 appended.
            var resumed = GrpoTrainer.Run(options with { Steps = 3, Resume = true });
            Assert.Equal([1, 2, 3], new RlMetrics(Path.Combine(dir, "rl", "metrics.jsonl")).Steps.Select(s => s.Step));
            var metricsBefore = File.ReadAllText(Path.Combine(dir, "rl", "metrics.jsonl"));
            var refused = Assert.Throws<Apr.Training.RunDirectoryException>(() => GrpoTrainer.Run(options)); // not resuming: the run is kept
            Assert.Contains("already holds a run", refused.Message);
            Assert.Equal(metricsBefore, File.ReadAllText(Path.Combine(dir, "rl", "metrics.jsonl")));
            start.Dispose();
            trained.Dispose();
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Under_budgets_a_problems_rollouts_share_one_drawn_budget_and_are_told_it()
    {
        var problems = Enumerable.Range(0, 12).Select(i => Problem with { Id = $"p{i}" }).ToList();
        var options = new RlOptions
        {
            ModelDirectory = "-", Problems = problems, OutputDirectory = "-", Group = 3, Seed = 4,
            Budgets = [1000, 4000, 16000], Conditioning = new ModelConditioning([1000, 2000, 4000, 8000, 16000], null),
        };
        var items = GrpoTrainer.WithBudgets(MultiSample.Items(problems, 3, 9), options, step: 2);
        Assert.Equal(36, items.Count);
        foreach (var group in items.Chunk(3))
        {
            Assert.Single(group.Select(i => i.Budget).Distinct());
            Assert.All(group, i => Assert.Equal((int?)i.Budget, i.TokenBudget)); // each budget is one the model was trained on
        }
        Assert.True(items.Select(i => i.Budget).Distinct().Count() > 1, "the budgets should vary across problems");
        Assert.Equal(items.Select(i => i.Budget), GrpoTrainer.WithBudgets(MultiSample.Items(problems, 3, 9), options, step: 2).Select(i => i.Budget));
        Assert.Same(items[0].Problem, problems[0]);
        Assert.All(GrpoTrainer.WithBudgets(MultiSample.Items(problems, 3, 9), options with { Budgets = null }, 2), i => Assert.Null(i.Budget));
    }
}
