// Guards, nesting, seeds and batching with the no-model policy and a hash "model": every limit holds
// with its recorded outcome; the same seed gives the same record whatever else shares the batch.
using Apr.Core;
using Apr.Countdown;
using Apr.Data;
using Apr.Protocol;

namespace Apr.Inference.Tests;

public sealed class GuardTests
{
    private static IReadOnlyList<ProblemRecord> RunRandom(SolveOptions options, int count, int slots = 16, int first = 0) =>
        new AprRuntime(new NullDecoder(TestData.Tokenizer.VocabSize, slots, 8192), TestData.Tokenizer, options with { Policy = ChoicePolicy.Uniform })
            .Solve(TestData.Problems.Skip(first).Take(count).Select((p, i) => new SolveItem(p, Rng.Mix(11, (ulong)i))).ToList());

    [Fact]
    public void Random_policy_trees_are_valid_and_their_answers_verify()
    {
        foreach (var method in new[] { SearchMethod.Apr, SearchMethod.SosPlus })
        {
            var records = RunRandom(new SolveOptions(method, Guards: new GuardOptions(ContextPerThread: 8192)), 30);
            foreach (var r in records)
            {
                var v = TraceValidator.Validate(r.ToTraceTree(), new ValidationOptions(AprMaxDepth: 1));
                if (r.Outcome is ThreadOutcome.Solved or ThreadOutcome.NoSolution) Assert.True(v.Ok, $"{r.Id}: {v}");
                Assert.Equal(r.Outcome == ThreadOutcome.Solved, r.Correct);
            }
            Assert.Contains(records, r => r.Correct);
            if (method == SearchMethod.Apr) Assert.Contains(records, r => r.Spawns > 0);
        }
    }

    [Fact]
    public void Width_spawn_and_depth_limits_hold_and_nested_spawning_works()
    {
        var guards = new GuardOptions(MaxChildrenPerSpawn: 2, MaxSpawnsPerProblem: 3, MaxDepth: 2, ContextPerThread: 8192);
        var records = RunRandom(new SolveOptions(Guards: guards), 40);
        Assert.All(records, r => Assert.True(r.Spawns <= 3, $"{r.Id}: {r.Spawns} spawns"));
        Assert.All(records, r => Assert.All(r.Calls, c => Assert.True(c.Level <= 2)));
        foreach (var r in records)
            foreach (var g in r.Calls.Where(c => c.Parent is not null && c.Call == 0).GroupBy(c => (c.Parent, c.StartStep)))
                Assert.True(g.Count() <= 2, $"{r.Id}: a spawn of {g.Count()} children");
        Assert.Contains(records, r => r.Calls.Any(c => c.Level == 2));
        Assert.All(records, r => Assert.DoesNotContain(r.Calls, c => c.Outcome == ThreadOutcome.SpawnLimit)); // guided: no spawn is offered once the budget is spent
        foreach (var r in records.Where(r => r.Outcome is ThreadOutcome.Solved or ThreadOutcome.NoSolution))
        {
            var v = TraceValidator.Validate(r.ToTraceTree(), new ValidationOptions(AprMaxDepth: 2));
            Assert.True(v.Ok, $"{r.Id}: {v}");
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void A_policy_that_spawns_whenever_it_can_stays_within_every_guard_at_depth_three(int numbers)
    {
        // Enumerate spawns at every chance: on 5 and 6 numbers at depth 3 it is a runaway spawner (issue 17's guard test).
        var problems = new ProblemGenerator(ProblemDistribution.Paper with { Count = numbers }).Generate(4, 31);
        var guards = new GuardOptions(MaxChildrenPerSpawn: 10, MaxSpawnsPerProblem: 12, MaxDepth: 3, ContextPerThread: 2048, MaxTotalTokensPerProblem: 60_000);
        var records = new AprRuntime(new NullDecoder(TestData.Tokenizer.VocabSize, 32, 2048), TestData.Tokenizer, new SolveOptions(SearchMethod.Apr, Policy: ChoicePolicy.Enumerate, Guards: guards))
            .Solve(problems.Select((p, i) => new SolveItem(p, (ulong)i)).ToList());
        Assert.Contains(records, r => r.Calls.Any(c => c.Level == 3)); // it did nest three deep
        foreach (var r in records)
        {
            Assert.True(r.Spawns <= 12, $"{r.Id}: {r.Spawns} spawns");
            Assert.True(r.Threads <= 1 + 12 * 10, $"{r.Id}: {r.Threads} threads");
            Assert.True(r.TotalTokens <= 60_000, $"{r.Id}: {r.TotalTokens} tokens");
            Assert.All(r.Calls, c => Assert.True(c.Level <= 3 && c.PromptTokens + c.Tokens.Count <= 2048, $"{r.Id}: level {c.Level}, {c.PromptTokens}+{c.Tokens.Count} tokens"));
            Assert.True(Enum.IsDefined(r.Outcome));
            if (r.Outcome is ThreadOutcome.Solved or ThreadOutcome.NoSolution)
                Assert.True(TraceValidator.Validate(r.ToTraceTree(), new ValidationOptions(AprMaxDepth: 3)).Ok, r.Id);
        }
    }

    [Fact]
    public void Context_token_and_time_limits_stop_threads_with_their_outcome()
    {
        var small = RunRandom(new SolveOptions(Guards: new GuardOptions(ContextPerThread: 80)), 10);
        Assert.Contains(small, r => r.Calls.Any(c => c.Outcome == ThreadOutcome.ContextLimit));
        Assert.All(small, r => Assert.All(r.Calls, c => Assert.True(c.PromptTokens + c.Tokens.Count <= 80, $"{c.PromptTokens}+{c.Tokens.Count}")));

        var tokens = RunRandom(new SolveOptions(Guards: new GuardOptions(MaxTotalTokensPerProblem: 300, ContextPerThread: 8192)), 10);
        Assert.Contains(tokens, r => r.Outcome == ThreadOutcome.TokenLimit);
        Assert.All(tokens.Where(r => r.Outcome == ThreadOutcome.TokenLimit), r => Assert.False(r.Correct));

        var time = RunRandom(new SolveOptions(Guards: new GuardOptions(MaxWallMsPerProblem: 1e-6, ContextPerThread: 8192)), 5);
        Assert.All(time, r => Assert.Equal(ThreadOutcome.TimeLimit, r.Outcome));
    }

    [Fact]
    public void The_same_seed_gives_the_same_record_whatever_else_is_in_the_batch()
    {
        var options = new SolveOptions(Sampling: new SamplingOptions(1.0), Guards: new GuardOptions(ContextPerThread: 1500));
        var target = new SolveItem(TestData.Problems[3], 99);
        var alone = new AprRuntime(new HashDecoder(TestData.Tokenizer.VocabSize, 4), TestData.Tokenizer, options).Solve([target])[0];
        var others = TestData.Problems.Skip(10).Take(6).Select((p, i) => new SolveItem(p, (ulong)i)).ToList();
        others.Insert(2, target);
        var decoder = new HashDecoder(TestData.Tokenizer.VocabSize, 24);
        var crowded = new AprRuntime(decoder, TestData.Tokenizer, options).Solve(others)[2];
        Assert.True(decoder.MaxRows > 1);
        Assert.Equal(alone.Calls.Select(c => (c.Thread, c.Call, c.Completion)), crowded.Calls.Select(c => (c.Thread, c.Call, c.Completion)));
        Assert.Equal(alone.Calls.SelectMany(c => c.Tokens), crowded.Calls.SelectMany(c => c.Tokens));
    }

    [Fact]
    public void Guided_sampling_from_a_model_only_emits_legal_lines_and_marks_like_the_grammar()
    {
        var options = new SolveOptions(Sampling: new SamplingOptions(1.0, TopK: 5), Guards: new GuardOptions(ContextPerThread: 2000));
        var records = new AprRuntime(new HashDecoder(TestData.Tokenizer.VocabSize, 16), TestData.Tokenizer, options)
            .Solve(TestData.Problems.Take(12).Select((p, i) => new SolveItem(p, (ulong)i)).ToList());
        foreach (var r in records)
            foreach (var call in r.Calls.Where(c => c.Outcome is not ThreadOutcome.ContextLimit))
            {
                var marking = TokenMarking.Mark(r.Method, new ThreadCall(call.Thread, call.Parent, call.Prompt, call.Completion), TestData.Tokenizer);
                Assert.Equal(marking.Chosen.Append(false), call.Tokens.Select(t => t.Source == TokenSource.Sampled));
            }
        Assert.All(records.Where(r => r.Outcome is ThreadOutcome.Solved or ThreadOutcome.NoSolution),
            r => Assert.True(TraceValidator.Validate(r.ToTraceTree()).Ok));
    }

    [Fact]
    public void Unguided_decoding_equals_plain_sampling()
    {
        var tok = TestData.Tokenizer;
        var prompt = new[] { tok.Bos }.Concat(tok.Encode(RandomPolicy.RootPrompt(TestData.Problems[0], SearchMethod.Apr))).ToArray();
        var options = new SamplingOptions(0.8, TopP: 0.9);
        var seq = CallSequence.Unguided(prompt, tok, options, new Rng(5), new CallLimits(200));
        var engine = new InferenceEngine(new HashDecoder(tok.VocabSize, 2));
        engine.Submit(seq);
        while (engine.HasWork) engine.Step();

        var plain = new HashDecoder(tok.VocabSize, 1);
        var rng = new Rng(5);
        var logits = new float[tok.VocabSize];
        var expected = new List<int>();
        var feed = prompt;
        while (true)
        {
            if (feed != prompt && prompt.Length + expected.Count > 200) break;
            plain.Forward([new DecodeRow(0, feed)], logits);
            int t = Sampler.Sample(logits, null, options, ref rng).Token;
            expected.Add(t);
            if (t == tok.Eos) break;
            feed = [t];
        }
        if (expected[^1] != tok.Eos) expected = expected.Take(200 - prompt.Length).ToList(); // the call holds at most 200 tokens
        Assert.Equal(CallEnd.ContextLimit, seq.End);
        Assert.Equal(expected, seq.Tokens.Select(t => t.Id));
        Assert.All(seq.Tokens, t => Assert.Equal(TokenSource.Sampled, t.Source));
    }
}
