// `--value-revisit F` with the shipped model: every thread keeps what it knows was searched (the nodes it named, its
// parent's knowledge at the spawn, its children's at the join) and the value of a state it knows is multiplied by F, so
// with a small F no thread explores a known state while a new one is legal (KnownStateReplay replays the tree and
// checks); without it the same problem shows such choices, so the check can fail. Bad factors are usage errors.
using Apr.Inference;
using Apr.Testing;

namespace Apr.Cli.Tests;

public sealed class RevisitTests
{
    private static ProblemRecord Solve(params string[] extra)
    {
        // A 6-number validation problem the default misses at 32,000 tokens; at 6,000 it spawns about 20 children.
        var run = CliRunner.Run(["solve", "--target", "15", "--nums", "1,90,79,71,78,71", "--budget", "6000", "--threads", "1", "--json", "--show-traces", .. extra]);
        Assert.True(run.ExitCode is 0 or 1, run.Err);
        return ProblemRecordReader.Parse(run.Out.Trim());
    }

    private static (int KnownChosen, int Explored) Replay(ProblemRecord record) =>
        KnownStateReplay.Count(record.Calls.Select(c => (c.Thread, c.Prompt, c.Completion)), 1);

    [Fact]
    public void With_a_small_revisit_factor_no_thread_of_the_shipped_model_explores_a_state_it_knows_while_a_new_one_is_legal()
    {
        var (plainKnown, plainExplored) = Replay(Solve("--value-revisit", "1")); // 1: no memory, whatever the manifest says
        Assert.True(plainKnown > 0, $"without the memory no thread chose a known state ({plainExplored} explore lines): the check could not fail");
        var remembering = Solve("--value-revisit", "1e-9");
        var (known, explored) = Replay(remembering);
        Assert.True(explored > 20 && remembering.Calls.Count(c => c.Level == 1) > 4, $"{explored} explore lines, {remembering.Calls.Count(c => c.Level == 1)} children");
        Assert.Equal(0, known);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void A_revisit_factor_outside_0_to_1_is_a_usage_error_naming_it(string bad)
    {
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--threads", "1", "--value-revisit", bad);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--value-revisit", run.Err);
        Assert.Contains(bad, run.Err);
    }

    [Fact]
    public void A_revisit_factor_without_a_value_is_a_usage_error()
    {
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--threads", "1", "--value-model", "none", "--value-revisit", "0.5");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--value-revisit goes with a value", run.Err);
    }

    [Theory]
    [InlineData("2:8", "the widen threshold must be in [0, 1]")]
    [InlineData("0.5:0", "at least 1 successor")]
    [InlineData("0.5", "takes T:W")]
    [InlineData("x:8", "takes T:W")]
    public void A_malformed_widen_rule_is_a_usage_error_naming_it(string bad, string why)
    {
        var run = CliRunner.Run("solve", "--target", "24", "--nums", "2,3,4,1", "--threads", "1", "--value-widen", bad);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--value-widen", run.Err);
        Assert.Contains(bad, run.Err);
        Assert.Contains(why, run.Err);
    }
}
