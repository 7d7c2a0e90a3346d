// Rankers.Load: a ranker by state size (a ranker.json that names a trained ranker per size) rates each state exactly as
// the part for its size does on its own, states of sizes no part names alike (ReachabilityScorer.Untrained), narrows to
// --ranker-sizes, and refuses a malformed manifest naming what is wrong; a trained ranker's directory loads as before. A mean
// ranker (a ranker.json naming trained rankers) rates each state with the mean of what the members that rate its size
// rate it alone, alone or as a part of a ranker by state size, and is refused when a member is not a trained ranker.
using Apr.Countdown;
using Apr.Inference;
using Apr.Model;

namespace Apr.Evaluation.Tests;

public sealed class RankersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apr-rankers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A number-MLP ranker of freshly initialized weights (two calls give two different networks) in _dir/name.</summary>
    private string WriteMlp(string name, int maxNumbers = 5)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        var config = NumberMlpConfig.Default with { Hidden = 16, Embedding = 8, MaxNumbers = maxNumbers };
        using (var net = new NumberMlp(config))
            ModelFiles.SaveWeights(net, Path.Combine(dir, ModelFiles.WeightsFile));
        File.WriteAllText(Path.Combine(dir, ReachabilityScorer.ManifestFile), $$"""{"task": "reachability", "network": "number-mlp", "config": {{config.ToJson()}}}""");
        return dir;
    }

    private string WriteBySize(string parts, string name = "by-size")
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        File.WriteAllText(Path.Combine(dir, ReachabilityScorer.ManifestFile), $$"""{"task": "reachability", "network": "by-state-size", "parts": {{parts}}}""");
        return dir;
    }

    private string WriteMean(string rankers, string name = "mean")
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        File.WriteAllText(Path.Combine(dir, ReachabilityScorer.ManifestFile), $$"""{"task": "reachability", "network": "mean", "rankers": {{rankers}}}""");
        return dir;
    }

    private static readonly long[][] States = [[87, 49, 49, 2, 5], [3, 8, 1, 9], [12, 2, 1], [9, 2], [40, 4, 5, 1, 1], [7, 7, 3]];

    private static double[] Scores(ISuccessorScorer scorer)
    {
        var s = new double[States.Length];
        scorer.Score(86, States, s);
        return s;
    }

    /// <summary>What a fresh load of the trained ranker in _dir/name scores for States[indices], in one batch: the batch a ranker by
    /// state size sends it (a float network's scores can differ in the last bits between batches of other shapes).</summary>
    private double[] Alone(string name, params int[] indices)
    {
        using var part = ReachabilityScorer.Load(Path.Combine(_dir, name));
        var s = new double[indices.Length];
        part.Score(86, [.. indices.Select(i => States[i])], s);
        return s;
    }

    [Fact]
    public void Each_state_is_rated_by_the_part_for_its_size_as_that_part_rates_it_alone()
    {
        WriteMlp("big");
        WriteMlp("small");
        Assert.NotEqual(Alone("big", 2)[0], Alone("small", 2)[0]); // two networks: the test can tell which part rated a state

        using var bySize = Rankers.Load(WriteBySize("""[{"sizes": [5], "ranker": "../big"}, {"sizes": [3, 4], "ranker": "../small"}]"""));
        var got = Scores(bySize);
        Assert.Equal(Alone("big", 0, 4), new[] { got[0], got[4] });           // 5 numbers: big
        Assert.Equal(Alone("small", 1, 2, 5), new[] { got[1], got[2], got[5] }); // 4 and 3 numbers: small
        Assert.Equal(ReachabilityScorer.Untrained, got[3]);           // 2 numbers: no part

        // --ranker-sizes narrows it: 3 only; a size no part rates is refused by name.
        using var only3 = Rankers.Load(Path.Combine(_dir, "by-size"), [3]);
        var narrowed = Scores(only3);
        Assert.Equal(Alone("small", 2, 5), new[] { narrowed[2], narrowed[5] });
        Assert.Equal([ReachabilityScorer.Untrained, ReachabilityScorer.Untrained, ReachabilityScorer.Untrained, ReachabilityScorer.Untrained], new[] { narrowed[0], narrowed[1], narrowed[3], narrowed[4] });
        Assert.Contains("cannot rate states of 2 numbers (its parts rate sizes 3,4,5)", Assert.Throws<ArgumentException>(() => Rankers.Load(Path.Combine(_dir, "by-size"), [2])).Message);

        // A trained ranker's directory loads through Rankers as it does alone.
        using var plain = Rankers.Load(Path.Combine(_dir, "big"));
        Assert.Equal(Alone("big", 0, 1, 2, 3, 4, 5), Scores(plain));
    }

    [Theory]
    [InlineData("""[]""", "lists its \"parts\"")]
    [InlineData("""[{"sizes": [5], "ranker": "../big"}, {"sizes": [5, 4], "ranker": "../big"}]""", "states of 5 numbers are named by two parts")]
    [InlineData("""[{"sizes": [1], "ranker": "../big"}]""", "each part is {\"sizes\"")]
    [InlineData("""[{"sizes": [4]}]""", "each part is {\"sizes\"")]
    [InlineData("""[{"sizes": [4], "ranker": "../nowhere"}]""", "its part for 4 numbers: ranker")]
    [InlineData("""[{"sizes": [4], "ranker": "../nested"}]""", "is a ranker by state size itself")]
    [InlineData("""[{"sizes": [6], "ranker": "../big"}]""", "above the network's max_numbers 5")]
    public void A_malformed_ranker_by_state_size_is_refused_naming_the_problem(string parts, string message)
    {
        WriteMlp("big");
        WriteBySize("""[{"sizes": [4], "ranker": "../big"}]""", "nested");
        var e = Assert.Throws<ArgumentException>(() => Rankers.Load(WriteBySize(parts)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_ranker_by_state_size_given_to_the_trained_ranker_loader_says_which_loader_reads_it()
    {
        WriteMlp("big");
        var e = Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(WriteBySize("""[{"sizes": [4], "ranker": "../big"}]""")));
        Assert.Contains("Rankers.Load", e.Message);
    }

    [Fact]
    public void A_mean_ranker_rates_each_state_with_the_mean_of_its_members_alone()
    {
        WriteMlp("a");
        WriteMlp("b");
        var (a, b) = (Alone("a", 0, 1, 2, 3, 4, 5), Alone("b", 0, 1, 2, 3, 4, 5));
        Assert.NotEqual(a[2], b[2]); // two networks: a mean differs from either

        using var mean = Rankers.Load(WriteMean("""["../a", "../b"]"""));
        Assert.Equal(a.Zip(b, (x, y) => (x + y) / 2), Scores(mean));

        // Narrowed to 3-number states: only those go to the members (one batch); other sizes get Untrained.
        using var only3 = Rankers.Load(Path.Combine(_dir, "mean"), [3]);
        var narrowed = Scores(only3);
        Assert.Equal(Alone("a", 2, 5).Zip(Alone("b", 2, 5), (x, y) => (x + y) / 2), new[] { narrowed[2], narrowed[5] });
        Assert.All(new[] { narrowed[0], narrowed[1], narrowed[3], narrowed[4] }, x => Assert.Equal(ReachabilityScorer.Untrained, x));

        // As a part of a ranker by state size: 3- and 4-number states by the mean, 5-number ones by a alone.
        using var bySize = Rankers.Load(WriteBySize("""[{"sizes": [5], "ranker": "../a"}, {"sizes": [3, 4], "ranker": "../mean"}]"""));
        var got = Scores(bySize);
        Assert.Equal(Alone("a", 0, 4), new[] { got[0], got[4] });
        Assert.Equal(Alone("a", 1, 2, 5).Zip(Alone("b", 1, 2, 5), (x, y) => (x + y) / 2), new[] { got[1], got[2], got[5] });
        Assert.Equal(ReachabilityScorer.Untrained, got[3]);
    }

    [Fact]
    public void A_mean_ranker_averages_the_members_that_rate_a_states_size()
    {
        WriteMlp("a");                  // rates 2..5 numbers
        WriteMlp("four", maxNumbers: 4); // rates 2..4
        var (a, four) = (Alone("a", 0, 1, 2, 3, 4, 5), Alone("four", 0, 1, 2, 3, 4, 5));
        using var mean = Rankers.Load(WriteMean("""["../a", "../four"]"""));
        var got = Scores(mean);
        Assert.Equal(new[] { a[0], a[4] }, new[] { got[0], got[4] }); // 5 numbers: a alone
        foreach (var i in new[] { 1, 2, 3, 5 }) Assert.Equal((a[i] + four[i]) / 2, got[i]);

        // Narrowed to 5 numbers (a rates them): only those; to 6 numbers (no member does): refused by name.
        using var only5 = Rankers.Load(Path.Combine(_dir, "mean"), [5]);
        var five = Scores(only5);
        Assert.Equal(Alone("a", 0, 4), new[] { five[0], five[4] }); // the batch it sends a: the 5-number states
        Assert.All(new[] { five[1], five[2], five[3], five[5] }, x => Assert.Equal(ReachabilityScorer.Untrained, x));
        Assert.Contains("cannot rate states of 6 numbers (no member rates them)", Assert.Throws<ArgumentException>(() => Rankers.Load(Path.Combine(_dir, "mean"), [6])).Message);
    }

    [Theory]
    [InlineData("""[]""", "lists its \"rankers\"")]
    [InlineData("""["../a", 3]""", "lists its \"rankers\"")]
    [InlineData("""["../a", "../nowhere"]""", "its member '../nowhere': ranker")]
    [InlineData("""["../a", "../by-size"]""", "'../by-size' is a by-state-size ranker itself")]
    public void A_malformed_mean_ranker_is_refused_naming_the_problem(string rankers, string message)
    {
        WriteMlp("a");
        WriteBySize("""[{"sizes": [4], "ranker": "../a"}]""");
        var e = Assert.Throws<ArgumentException>(() => Rankers.Load(WriteMean(rankers)));
        Assert.Contains(message, e.Message);
        Assert.Contains("Rankers.Load", Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(Path.Combine(_dir, "mean"))).Message);
    }

    [Fact]
    public void A_composite_manifest_beside_weights_is_still_refused_by_the_trained_ranker_loader()
    {
        // The trained ranker's loader reads the network from its own parse of ranker.json: a by-size or mean manifest next
        // to a stray model.safetensors is named as the composite ranker it is, not loaded as a network.
        WriteMlp("a");
        var dir = WriteMean("""["../a"]""");
        File.Copy(Path.Combine(_dir, "a", ModelFiles.WeightsFile), Path.Combine(dir, ModelFiles.WeightsFile));
        Assert.Contains("a mean ranker (made of trained rankers)", Assert.Throws<ArgumentException>(() => ReachabilityScorer.Load(dir)).Message);
        using var mean = Rankers.Load(dir); // Rankers.Load reads it as the mean ranker it is
        Assert.NotNull(mean);
    }
}
