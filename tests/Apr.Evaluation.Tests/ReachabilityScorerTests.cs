// ReachabilityScorer: a ranker directory loads (model, tokenizer, manifest), scores are probabilities that a state can
// still reach the target, the same state scores the same from the cache and in a fresh batch, and a directory that is
// not a ranker is refused naming the file.
using Apr.Inference;
using Apr.Evaluation;
using Apr.Model;
using Apr.Tokenization;

namespace Apr.Evaluation.Tests;

public sealed class ReachabilityScorerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-ranker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteRanker(string manifest)
    {
        var tokenizer = TraceTokenizer.Default;
        using (var model = new LlamaForCausalLm(ModelConfig.Tiny(tokenizer.VocabSize)))
            ModelFiles.Save(model, _dir);
        File.WriteAllText(Path.Combine(_dir, ReachabilityScorer.TokenizerFile), tokenizer.ToJson());
        File.WriteAllText(Path.Combine(_dir, ReachabilityScorer.ManifestFile), manifest);
        return _dir;
    }

    [Fact]
    public void A_ranker_scores_states_as_probabilities_the_same_from_its_cache_as_in_a_fresh_batch()
    {
        using var scorer = ReachabilityScorer.Load(WriteRanker("""{"task": "reachability", "command": "test"}"""));
        Assert.Equal("test", scorer.Source);
        long[][] states = [[87, 49, 49], [3, 8], [12, 2, 1]];
        var first = new double[3];
        scorer.Score(86, states, first);
        Assert.All(first, p => Assert.InRange(p, 0, 1));
        var again = new double[2];
        scorer.Score(86, [states[2], states[0]], again);   // from the cache
        Assert.Equal([first[2], first[0]], again);
        using var fresh = ReachabilityScorer.Load(_dir);
        var alone = new double[1];
        fresh.Score(86, [states[1]], alone);   // alone in its batch: padding does not change a score
        Assert.Equal(first[1], alone[0], 5);
        Assert.Equal("Current State: 86:[87, 49, 49]", ReachabilityScorer.StateText(86, states[0]));
    }

    [Fact]
    public void States_of_a_size_the_ranker_was_not_trained_on_all_score_alike()
    {
        using var scorer = ReachabilityScorer.Load(WriteRanker("""{"task": "reachability", "state_sizes": [3]}"""));
        var scores = new double[4];
        scorer.Score(86, [[87, 49, 49], [3, 8], [9, 2], [12, 2, 1]], scores);
        Assert.Equal(ReachabilityScorer.Untrained, scores[1]);
        Assert.Equal(ReachabilityScorer.Untrained, scores[2]);
        File.WriteAllText(Path.Combine(_dir, ReachabilityScorer.ManifestFile), """{"task": "reachability"}""");
        using var all = ReachabilityScorer.Load(_dir);
        var rated = new double[4];
        all.Score(86, [[87, 49, 49], [3, 8], [9, 2], [12, 2, 1]], rated);
        Assert.Equal(scores[0], rated[0], 5);   // the same weights: sizes it knows score as before (to float error: the batch differs)
        Assert.Equal(scores[3], rated[3], 5);
        Assert.NotEqual(rated[1], rated[2]);

        // --ranker-sizes: narrowed to 3, the 2-number states keep the heuristic's order again; a size it was not trained
        // on is refused by name.
        using var narrowed = ReachabilityScorer.Load(_dir, [3]);
        var only3 = new double[4];
        narrowed.Score(86, [[87, 49, 49], [3, 8], [9, 2], [12, 2, 1]], only3);
        Assert.Equal([ReachabilityScorer.Untrained, ReachabilityScorer.Untrained], only3[1..3]);
        Assert.Equal(rated[0], only3[0], 5);
        File.WriteAllText(Path.Combine(_dir, ReachabilityScorer.ManifestFile), """{"task": "reachability", "state_sizes": [2, 3]}""");
        var e = Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(_dir, [3, 4]));
        Assert.Contains("4 numbers", e.Message);
        Assert.Contains("2,3", e.Message);
    }

    private string WriteMlpRanker(string? manifest = null)
    {
        var config = NumberMlpConfig.Default with { Hidden = 16, Embedding = 8, MaxNumbers = 3 };
        using (var net = new NumberMlp(config))
            ModelFiles.SaveWeights(net, Path.Combine(_dir, ModelFiles.WeightsFile));
        File.WriteAllText(Path.Combine(_dir, ReachabilityScorer.ManifestFile),
            manifest ?? $$"""{"task": "reachability", "network": "number-mlp", "config": {{config.ToJson()}}, "command": "mlp test"}""");
        return _dir;
    }

    [Fact]
    public void A_number_MLP_ranker_loads_without_a_tokenizer_and_rates_only_the_sizes_it_has_slots_for()
    {
        using var scorer = ReachabilityScorer.Load(WriteMlpRanker());
        Assert.Equal("mlp test", scorer.Source);
        Assert.False(File.Exists(Path.Combine(_dir, ReachabilityScorer.TokenizerFile)));
        long[][] states = [[87, 49, 49], [49, 87, 49], [3, 8], [12, 2, 1, 5]];
        var scores = new double[4];
        scorer.Score(86, states, scores);
        Assert.All(scores, p => Assert.InRange(p, 0, 1));
        Assert.Equal(scores[0], scores[1], 6);                     // the same numbers in another order
        Assert.Equal(ReachabilityScorer.Untrained, scores[3]);     // 4 numbers: more than its 3 slots
        Assert.NotEqual(ReachabilityScorer.Untrained, scores[2]);
        var again = new double[1];
        scorer.Score(86, [states[2]], again);
        Assert.Equal(scores[2], again[0]);
        Assert.Contains("above the network's max_numbers 3", Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(_dir, [4])).Message);
    }

    [Theory]
    [InlineData("""{"task": "reachability", "network": "number-mlp"}""", "names the network number-mlp but has no \"config\"")]
    [InlineData("""{"task": "reachability", "network": "gpt"}""", "network must be \"llama\" or \"number-mlp\", got \"gpt\"")]
    [InlineData("""{"task": "reachability", "network": "number-mlp", "config": {"moduli": [2], "exact": 0, "log_bins": 4, "max_numbers": 3, "embedding": 8, "hidden": 16, "layers": 3}}""", "exact must be in 1..100000, got 0")]
    [InlineData("""{"task": "reachability", "network": "number-mlp", "config": {"moduli": [2, 3], "exact": 128, "log_bins": 28, "max_numbers": 3, "embedding": 8, "hidden": 16, "layers": 3}}""", "model.safetensors")]
    public void A_number_MLP_ranker_with_a_bad_manifest_or_weights_of_another_shape_is_refused(string manifest, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(WriteMlpRanker(manifest)));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("""{"task": "reachability", "state_sizes": [1]}""", "state_sizes must be a list of sizes of at least 2, got [1]")]
    [InlineData("""{"task": "value"}""", "does not describe a reachability classifier")]
    [InlineData("{", "ranker.json is not valid JSON")]
    public void A_directory_that_is_not_a_ranker_is_refused_naming_the_file(string manifest, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(WriteRanker(manifest)));
        Assert.Contains(message, e.Message);
        File.Delete(Path.Combine(_dir, ReachabilityScorer.ManifestFile));
        Assert.Contains("ranker.json is missing", Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(_dir)).Message);
    }
}
