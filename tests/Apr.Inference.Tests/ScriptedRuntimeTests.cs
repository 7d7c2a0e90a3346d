// The scheduler with a scripted fake model that replays the reference's APR trees: the runtime must
// rebuild exactly the reference's calls (child prompts, join prompts), run children side by side,
// resume a parent only after all its children, and mark inserted tokens exactly as TokenMarking does.
using Apr.Data;
using Apr.Protocol;
using Apr.Testing;

namespace Apr.Inference.Tests;

public sealed class ScriptedRuntimeTests
{
    private static readonly GuardOptions Wide = new(MaxChildrenPerSpawn: 64, MaxSpawnsPerProblem: 64, ContextPerThread: 8192);

    private static (ProblemRecord Record, TraceRecord Reference) Replay(int index, bool guided, int slots = 32)
    {
        var reference = TestData.ReferenceApr[index];
        var decoder = new ScriptedDecoder(TestData.Tokenizer, reference.Calls.Select(c => (c.Prompt, c.Completion)), slots);
        var runtime = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Guided: guided, Guards: Wide));
        return (runtime.Solve(new Apr.Countdown.CountdownProblem(reference.Id, reference.Target, reference.Nums), 7), reference);
    }

    [Slow]
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Replaying_reference_trees_rebuilds_every_prompt_and_completion(bool guided)
    {
        for (int i = 0; i < 20; i++)
        {
            var (record, reference) = Replay(i, guided);
            var expected = reference.Calls.GroupBy(c => c.Thread).SelectMany(g => g.Select((c, k) => (c.Thread, k, c.Prompt, c.Completion))).OrderBy(x => x.Thread, StringComparer.Ordinal).ThenBy(x => x.k).ToList();
            var actual = record.Calls.Select(c => (c.Thread, k: c.Call, c.Prompt, c.Completion)).OrderBy(x => x.Thread, StringComparer.Ordinal).ThenBy(x => x.k).ToList();
            Assert.Equal(expected, actual);
            var validation = TraceValidator.Validate(record.ToTraceTree());
            Assert.True(validation.Ok, $"problem {i}: {validation}");
            Assert.Equal(validation.Solved, record.Correct);
            Assert.Equal(record.Spawns, reference.Calls.Count(c => SpawnProtocol.EndsInSpawnBlock(c.Completion)));
        }
    }

    [Fact]
    public void Children_run_side_by_side_and_finish_before_their_parent_resumes()
    {
        int checkedSpawns = 0;
        for (int i = 0; i < 20; i++)
        {
            var (record, _) = Replay(i, guided: true);
            foreach (var spawning in record.Calls.Where(c => c.Outcome == ThreadOutcome.Spawned))
            {
                var children = record.Calls.Where(c => c.Parent == spawning.Thread && c.StartStep >= spawning.EndStep).ToList();
                var resume = record.Calls.Single(c => c.Thread == spawning.Thread && c.Call == spawning.Call + 1);
                var mine = children.Where(c => c.EndStep <= resume.StartStep).ToList();
                Assert.NotEmpty(mine);
                Assert.All(mine, c => Assert.True(c.EndStep <= resume.StartStep, $"child {c.Thread} ended at step {c.EndStep}, after the resume at {resume.StartStep}"));
                if (mine.Count >= 2)
                {
                    // all started in the same step: they run concurrently
                    Assert.Single(mine.Select(c => c.StartStep).Distinct());
                    checkedSpawns++;
                }
            }
        }
        Assert.True(checkedSpawns > 5, $"only {checkedSpawns} spawns with two or more children were seen");
    }

    [Fact]
    public void Guided_tokens_are_marked_sampled_exactly_where_the_grammar_branches()
    {
        for (int i = 0; i < 10; i++)
        {
            var (record, _) = Replay(i, guided: true);
            foreach (var call in record.Calls)
            {
                var marking = TokenMarking.Mark(record.Method, new ThreadCall(call.Thread, call.Parent, call.Prompt, call.Completion), TestData.Tokenizer);
                Assert.Equal(marking.Tokens.Append(TestData.Tokenizer.Eos), call.Tokens.Select(t => t.Id));
                Assert.Equal(marking.Chosen.Append(false), call.Tokens.Select(t => t.Source == TokenSource.Sampled));
            }
        }
    }

    [Fact]
    public void Prefix_reuse_serves_the_resumed_parent_from_the_cache()
    {
        int decoded = 0;
        for (int i = 0; i < 20; i++)
        {
            var (record, _) = Replay(i, guided: true);
            foreach (var c in record.Calls.Where(c => c.Call > 0))
            {
                Assert.True(c.SharedPrefixTokens > 0);
                // a resume that is all forced (a child solved: verdict and recap) needs no forward and no cache
                if (c.Forwards == 0) continue;
                Assert.Equal(c.SharedPrefixTokens, c.ReusedCacheTokens);
                decoded++;
            }
            Assert.Equal(record.Calls.Sum(c => (long)c.NewTokens), record.TotalTokens);
            // sequential tokens, by hand: the root's completions plus, per spawn, its longest child (children are numbered across spawns)
            long sequential = 0;
            int next = 0;
            foreach (var call in record.Calls.Where(c => c.Thread == "0").OrderBy(c => c.Call))
            {
                sequential += call.Tokens.Count;
                if (call.Outcome != ThreadOutcome.Spawned) continue;
                int n = call.Completion.Split('\n').Count(l => l.StartsWith("<Start Sub Search ", StringComparison.Ordinal));
                sequential += Enumerable.Range(next, n).Max(k => record.Calls.Where(c => c.Thread == $"0.{k}").Sum(c => c.Tokens.Count));
                next += n;
            }
            Assert.Equal(sequential, record.SequentialTokens);
            var json = ProblemRecordJson.ToJson(record);
            Assert.Equal(record.TotalTokens, (long)json["total_tokens"]!);
            Assert.Equal(record.Correct, (bool)json["correct"]!);
            Assert.Equal(record.Calls.Count, json["threads"]!.AsArray().Count);
            Assert.Equal(record.Calls.Max(c => c.PromptTokens + c.Tokens.Count), (int)json["max_call_tokens"]!);
        }
        Assert.True(decoded > 0, "no resumed call needed the model");
    }

    [Fact]
    public void Unguided_model_text_with_a_join_block_or_a_bad_spawn_ends_the_thread_as_failed()
    {
        var problem = TestData.Problems[0];
        var prompt = RandomPolicy.RootPrompt(problem, SearchMethod.Apr);
        foreach (var (completion, outcome) in new[]
                 {
                     ("<Sub Searches>\n", ThreadOutcome.ForbiddenJoinBlock),
                     ("<Calling Sub Searches>\n<Start Sub Search 0 at level 1> Moving to Node #0,9\n<End Calling Sub Searches>\n", ThreadOutcome.Malformed),
                     ("Exploring Oper", ThreadOutcome.CutOff),
                 })
        {
            var decoder = new ScriptedDecoder(TestData.Tokenizer, [(prompt, completion)], 4);
            var record = new AprRuntime(decoder, TestData.Tokenizer, new SolveOptions(Guided: false)).Solve(problem, 1);
            Assert.Equal(outcome, record.Outcome);
            Assert.False(record.Correct);
            Assert.Null(record.Answer);
        }
    }
}
