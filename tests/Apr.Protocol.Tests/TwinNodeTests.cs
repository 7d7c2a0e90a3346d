namespace Apr.Protocol.Tests;

/// <summary>
/// Twin nodes (same state, from repeated numbers) entered by a bare Current State line after a failed
/// join: later ids decide which twin it was. Problem 1000:[3, 3, 5, 7] (unreachable): 3+5=8 from either 3
/// gives the same state [3, 7, 8] twice, as #0,0 and #0,1.
/// </summary>
public sealed class TwinNodeTests
{
    private static ThreadGrammar AfterFailedJoin()
    {
        var g = ThreadGrammar.Start("Moving to Node #0\nCurrent State: 1000:[3, 3, 5, 7], Operations: []\n", GrammarSettings.AprRoot);
        foreach (var line in new[]
                 {
                     "Exploring Operation: 3+5=8, Resulting Numbers: [3, 7, 8]\n", "Generated Node #0,0: 1000:[3, 7, 8] Operation: 3+5=8\n",
                     "Exploring Operation: 3+5=8, Resulting Numbers: [3, 7, 8]\n", "Generated Node #0,1: 1000:[3, 7, 8] Operation: 3+5=8\n",
                     "Exploring Operation: 3*3=9, Resulting Numbers: [5, 7, 9]\n", "Generated Node #0,2: 1000:[5, 7, 9] Operation: 3*3=9\n",
                     "<Calling Sub Searches>\n", "<Start Sub Search 0 at level 1> Moving to Node #0,2\n", "<End Calling Sub Searches>\n",
                 })
            g.Advance(line);
        g.AdvanceInserted("<Sub Searches>\n<No Solution in Sub Search 0 at level 1 at Node #0,2>\n<End Sub Searches>\n");
        Assert.Equal(1, g.Options.Count(o => o == "Current State: 1000:[3, 7, 8], Operations: ['3+5=8']\n"));
        g.Advance("Current State: 1000:[3, 7, 8], Operations: ['3+5=8']\n");
        return g;
    }

    [Fact]
    public void The_first_generated_id_may_name_either_twin()
    {
        var g = AfterFailedJoin();
        g.Advance("Exploring Operation: 3+7=10, Resulting Numbers: [8, 10]\n");
        Assert.Equal(["Generated Node #0,0,0: 1000:[8, 10] Operation: 3+7=10\n", "Generated Node #0,1,0: 1000:[8, 10] Operation: 3+7=10\n"], g.Options);
        Assert.False(g.IsForced);
        g.Advance("Generated Node #0,1,0: 1000:[8, 10] Operation: 3+7=10\n");
        Assert.Contains("Moving to Node #0,0\n", g.Options);
        Assert.DoesNotContain("Moving to Node #0,1\n", g.Options);
        Assert.Contains("Moving to Node #0,1,0\n", g.Options);
        g.Advance("Exploring Operation: 7+8=15, Resulting Numbers: [3, 15]\n");
        Assert.Equal(["Generated Node #0,1,1: 1000:[3, 15] Operation: 7+8=15\n"], g.Options);
    }

    [Fact]
    public void The_default_twin_keeps_the_other_open()
    {
        var g = AfterFailedJoin();
        g.Advance("Exploring Operation: 3+7=10, Resulting Numbers: [8, 10]\n");
        g.Advance("Generated Node #0,0,0: 1000:[8, 10] Operation: 3+7=10\n");
        Assert.Contains("Moving to Node #0,1\n", g.Options);
        Assert.DoesNotContain("Moving to Node #0,0\n", g.Options);
    }

    [Fact]
    public void Without_a_revealing_id_a_move_to_either_twin_is_accepted_once()
    {
        var g = AfterFailedJoin();
        Assert.Contains("Moving to Node #0,0\n", g.Options);
        Assert.Contains("Moving to Node #0,1\n", g.Options);
        g.Advance("Moving to Node #0,0\n");
        g.Advance("Current State: 1000:[3, 7, 8], Operations: ['3+5=8']\n");
        Assert.DoesNotContain("Moving to Node #0,1\n", g.Options);
        var e = Assert.Throws<ProtocolException>(() => g.Advance("Moving to Node #0,1\n"));
        Assert.Equal(ProtocolErrorKind.NodeAlreadyExplored, e.Kind);
    }
}
