// Which tokens count in the loss: completion only (default), all, or a custom weighting.
using Apr.Protocol;
using Apr.Model;
using Apr.Tokenization;
using static TorchSharp.torch;

namespace Apr.Training.Tests;

public sealed class LossMaskTests
{
    private static readonly SftCall Call = new("f", 0, "p0", SearchMethod.Apr, new ThreadCall("0", null, "Moving to Node #0", "No solution found."));

    [Fact]
    public void Completion_mask_weighs_only_completion_tokens_and_eos()
    {
        var tok = TraceTokenizer.Default;
        int p = tok.Encode(Call.Prompt).Length, c = tok.Encode(Call.Completion).Length;
        var s = SftData.Tokenize(Call, tok, TokenWeightings.Completion);
        Assert.Equal(p + c + 2, s.Tokens.Length);
        Assert.Equal(tok.Bos, s.Tokens[0]);
        Assert.Equal(tok.Eos, s.Tokens[^1]);
        Assert.Equal(Enumerable.Repeat(0f, p).Concat(Enumerable.Repeat(1f, c + 1)), s.Weights);
        Assert.All(SftData.Tokenize(Call, tok, TokenWeightings.All).Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Custom_weighting_is_used_and_a_wrong_length_fails()
    {
        var tok = TraceTokenizer.Default;
        TokenWeighting lastOnly = (_, tokens, _) => { var w = new float[tokens.Count - 1]; w[^1] = 2f; return w; };
        var s = SftData.Tokenize(Call, tok, lastOnly);
        Assert.Equal(2f, s.Weights.Sum());
        Assert.Throws<InvalidOperationException>(() => SftData.Tokenize(Call, tok, (_, t, _) => new float[t.Count]));
    }

    [Fact]
    public void Sequences_with_no_trained_token_are_left_out_and_counted()
    {
        // A call the grammar forces from end to end has no chosen token: it would only add zero-gradient batches.
        var dir = TestTraces.TempDirectory();
        try
        {
            var file = TestTraces.Write(dir, 40, 3);
            var tok = TraceTokenizer.Default;
            var all = SftData.Load([file], tok, TokenWeightings.Completion, 0.2, 1, 4096, checkTraces: false);
            TokenWeighting rootOnly = (call, tokens, prompt) => call.Call.Parent is null ? TokenWeightings.Completion(call, tokens, prompt) : new float[tokens.Count - 1];
            var roots = SftData.Load([file], tok, rootOnly, 0.2, 1, 4096, checkTraces: false);
            int children = File.ReadLines(file).Sum(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("calls").GetArrayLength() - 1);
            Assert.True(children > 0);
            Assert.Equal(0, all.Untrained);
            Assert.Equal(children, roots.Untrained);
            Assert.Equal(all.Train.Count + all.Val.Count - children, roots.Train.Count + roots.Val.Count);
            Assert.All(roots.Train.Concat(roots.Val), s => Assert.Contains(s.Weights, w => w > 0));
            var none = Assert.Throws<InvalidDataException>(() => SftData.Load([file], tok, (_, t, _) => new float[t.Count - 1], 0.2, 1, 4096, checkTraces: false));
            Assert.Contains("with no trained token", none.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Masked_batch_loss_equals_the_mean_over_completion_targets_only()
    {
        manual_seed(5);
        var tok = TraceTokenizer.Default;
        using var model = new LlamaForCausalLm(ModelConfig.Tiny(tok.VocabSize));
        var calls = new[] { Call, Call with { Call = Call.Call with { Prompt = "Moving to Node #0,1", Completion = "27,27 equal: Goal Reached" } } };
        var seqs = calls.Select(c => SftData.Tokenize(c, tok, TokenWeightings.Completion)).ToList();
        using var batch = SftBatch.From(seqs, tok.Pad);
        using var losses = model.TokenLosses(batch.Ids, batch.Targets); // (2, T)
        double masked = (losses * batch.Weights).sum().item<float>() / batch.WeightSum;
        double sum = 0;
        int n = 0;
        for (int r = 0; r < 2; r++)
        {
            int prompt = tok.Encode(calls[r].Prompt).Length;
            for (int j = prompt; j < seqs[r].Length; j++, n++)
                sum += losses[r, j].item<float>();
        }
        Assert.Equal(sum / n, masked, 1e-5); // a tolerance, not decimal places: float32 sums in another order can straddle a rounding boundary
        Assert.Equal(n, batch.WeightSum);
    }

    [Fact]
    public void Root_decision_weight_weighs_only_the_chosen_tokens_that_begin_a_root_line()
    {
        // A root that explores two successors and spawns on both (the shape of the budget data at 8k).
        const string prompt = "Token Budget: 8 Moving to Node #0\nCurrent State: 86:[87, 10, 49, 59], Operations: []\n";
        const string completion = "Exploring Operation: 59-49=10, Resulting Numbers: [87, 10, 10]\n" +
            "Generated Node #0,0: 86:[87, 10, 10] Operation: 59-49=10\n" +
            "Exploring Operation: 59-10=49, Resulting Numbers: [87, 49, 49]\n" +
            "Generated Node #0,1: 86:[87, 49, 49] Operation: 59-10=49\n" +
            "<Calling Sub Searches>\n<Start Sub Search 0 at level 1> Moving to Node #0,1\n" +
            "<Start Sub Search 1 at level 1> Moving to Node #0,0\n<End Calling Sub Searches>\n";
        var tok = TraceTokenizer.Default;
        var root = new SftCall("f", 0, "p0", SearchMethod.Apr, new ThreadCall("0", null, prompt, completion));
        var plainSequence = SftData.Tokenize(root, tok, ChosenTokens.Weighting());
        var (plain, tokens) = (plainSequence.Weights, plainSequence.Tokens);
        var heavy = SftData.Tokenize(root, tok, ChosenTokens.Weighting(rootDecisionWeight: 7f)).Weights;
        var raised = Enumerable.Range(0, plain.Length).Where(j => heavy[j] != plain[j]).ToList();
        Assert.NotEmpty(raised);
        foreach (var j in raised)
        {
            Assert.Equal((1f, 7f), (plain[j], heavy[j])); // only chosen tokens are raised, to the weight
            var before = tok.Decode(tokens.AsSpan(1, j)); // target j is tokens[j + 1]: it begins a line
            Assert.EndsWith("\n", before);
        }
        // The spawn decision is among them: the token that begins '<Calling Sub Searches>'.
        Assert.Contains(raised, j => tok.Decode(tokens.AsSpan(j + 1, 1)).StartsWith('<'));
        // A child's tokens keep weight 1, and the weight must be a positive number.
        var child = root with { Call = new ThreadCall("0.0", "0", "Moving to Node #0,1\nCurrent State: 86:[87, 49, 49], Operations: ['59-10=49']\n", "Exploring Operation: 49/49=1, Resulting Numbers: [87, 1]\nGenerated Node #0,1,0: 86:[87, 1] Operation: 49/49=1\nMoving to Node #0,1,0\nCurrent State: 86:[87, 1], Operations: ['59-10=49', '49/49=1']\nExploring Operation: 87-1=86, Resulting Numbers: [86]\n86,86 equal: Goal Reached\n") };
        Assert.Equal(SftData.Tokenize(child, tok, ChosenTokens.Weighting()).Weights, SftData.Tokenize(child, tok, ChosenTokens.Weighting(rootDecisionWeight: 7f)).Weights);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChosenTokens.Weighting(rootDecisionWeight: 0f));
    }
}
