using Apr.Core;
using Apr.Countdown;

namespace Apr.Protocol.Tests;

/// <summary>Property: whatever the grammar offers keeps the trace valid (random walks validate).</summary>
public sealed class RandomWalkTests
{
    internal static CountdownProblem RandomProblem(ref Rng rng, int index)
    {
        var count = rng.NextInt(2, 5);
        var nums = new long[count];
        for (var i = 0; i < count; i++) nums[i] = rng.NextInt(1, 30);
        return new CountdownProblem($"p{index}", rng.NextInt(1, 60), nums);
    }

    [Theory]
    [InlineData(SearchMethod.SosPlus, 0, 64)]
    [InlineData(SearchMethod.Apr, 0, 1)]
    [InlineData(SearchMethod.Apr, 0, 2)]
    public void Random_walks_through_the_grammar_produce_valid_trees(SearchMethod mode, int level, int maxDepth)
    {
        var settings = new GrammarSettings(mode, level, maxDepth, MaxChildren: 6);
        var options = new ValidationOptions(AprMaxDepth: maxDepth, SosMaxDepth: maxDepth, MaxChildren: 6);
        var solved = 0;
        var spawns = 0;
        var nested = 0;
        for (var i = 0; i < 300; i++)
        {
            var rng = Rng.ForItem(42, (ulong)i);
            var problem = RandomProblem(ref rng, i);
            var tree = RandomPolicy.PlayTree(problem, settings, ref rng, maxLinesPerCall: 200);
            var result = TraceValidator.Validate(tree, options);
            Assert.True(result.Ok, $"walk {i} ({problem.Target}: [{string.Join(", ", problem.Nums)}]): {result}");
            if (result.Answer is not null)
            {
                Assert.True(result.AnswerVerifies, $"walk {i}: answer {string.Join(", ", result.Answer)} does not verify");
                solved++;
            }
            spawns += tree.Calls.Count(c => c.Prompt.Contains("<Sub Searches>", StringComparison.Ordinal));
            nested += tree.Calls.Count(c => c.Thread.Count(ch => ch == '.') >= 2);
        }
        Assert.InRange(solved, 5, 299);
        if (mode == SearchMethod.Apr) Assert.True(spawns > 20, $"only {spawns} joins in 300 walks");
        if (maxDepth >= 2 && mode == SearchMethod.Apr) Assert.True(nested > 0, "no nested children");
    }

    [Fact]
    public void Options_are_distinct_canonical_lines_and_prefix_free_at_every_step_of_every_call()
    {
        for (var i = 0; i < 200; i++)
        {
            var rng = Rng.ForItem(7, (ulong)i);
            var nums = Enumerable.Range(0, 4).Select(_ => (long)rng.NextInt(1, 4)).ToArray(); // small numbers: many twins
            var problem = new CountdownProblem($"t{i}", rng.NextInt(10, 40), nums);
            var settings = i % 3 == 0 ? GrammarSettings.SosPlus : new GrammarSettings(SearchMethod.Apr, 0, 2, 4);
            foreach (var call in RandomPolicy.PlayTree(problem, settings, ref rng, maxLinesPerCall: 150).Calls)
            {
                var grammar = ThreadGrammar.Start(call.Prompt, settings with { Level = call.Thread.Count(c => c == '.') });
                foreach (var line in call.Completion.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var options = grammar.Options;
                    Assert.NotEmpty(options);
                    Assert.Equal(options.Count, options.Distinct().Count());
                    foreach (var o in options)
                    {
                        Assert.Equal(o.Length - 1, o.IndexOf('\n'));
                        Assert.Equal(o, TraceLineParser.Parse(o).Write());
                        foreach (var p in options)
                            Assert.False(!ReferenceEquals(o, p) && p.StartsWith(o, StringComparison.Ordinal), $"option '{o}' is a prefix of '{p}'");
                    }
                    Assert.Contains(line + "\n", options);
                    grammar.Advance(line + "\n");
                }
            }
        }
    }
}
