using Apr.Countdown;

namespace Apr.Protocol.Tests;

/// <summary>Known answers worked by hand on tiny problems.</summary>
public sealed class ThreadGrammarTests
{
    private const string SosPrompt = "Current State: 6:[2, 3], Operations: []\n";

    [Fact]
    public void At_the_root_the_options_are_each_successor_and_giving_up()
    {
        var g = ThreadGrammar.Start(SosPrompt, GrammarSettings.SosPlus);
        Assert.Equal(
        [
            "Exploring Operation: 2+3=5, Resulting Numbers: [5]\n",
            "Exploring Operation: 2*3=6, Resulting Numbers: [6]\n",
            "Exploring Operation: 3-2=1, Resulting Numbers: [1]\n",
            "No solution found.\n",
        ], g.Options);
        Assert.False(g.IsForced);
    }

    [Fact]
    public void Reaching_the_goal_forces_the_verdict_and_the_recap_then_ends()
    {
        var g = ThreadGrammar.Start(SosPrompt, GrammarSettings.SosPlus);
        g.Advance("Exploring Operation: 3-2=1, Resulting Numbers: [1]\n");
        Assert.Equal(["1,6 unequal: No Solution\n"], g.Options);
        g.Advance("1,6 unequal: No Solution\n");
        g.Advance("Exploring Operation: 2*3=6, Resulting Numbers: [6]\n");
        string[] forced = ["6,6 equal: Goal Reached\n", "Moving to Node #0\n", SosPrompt, "Exploring Operation: 2*3=6, Resulting Numbers: [6]\n", "6,6 equal: Goal Reached\n"];
        foreach (var line in forced)
        {
            Assert.True(g.IsForced);
            Assert.Equal([line], g.Options);
            g.Advance(line);
        }
        Assert.Equal(GrammarState.Finished, g.State);
        Assert.Empty(g.Options);
        Assert.Equal("2*3=6", Assert.Single(g.Answer!).ToString());
        var e = Assert.Throws<ProtocolException>(() => g.Advance("No solution found.\n"));
        Assert.Equal(ProtocolErrorKind.TextAfterEnd, e.Kind);
    }

    [Fact]
    public void A_line_that_is_not_an_option_is_rejected_and_changes_nothing()
    {
        var g = ThreadGrammar.Start(SosPrompt, GrammarSettings.SosPlus);
        var e = Assert.Throws<ProtocolException>(() => g.Advance("Exploring Operation: 3/2=1, Resulting Numbers: [1]\n"));
        Assert.Equal(ProtocolErrorKind.BadArithmetic, e.Kind);
        Assert.Contains("3/2", e.Message);
        g.Advance("Exploring Operation: 2+3=5, Resulting Numbers: [5]\n");
        var forced = Assert.Throws<ProtocolException>(() => g.Advance("5,6 unequal: No Solution \n"));
        Assert.Contains("5,6 unequal: No Solution", forced.Message);
        Assert.Throws<ProtocolException>(() => g.Advance("two\nlines\n"));
    }

    [Fact]
    public void A_dive_has_its_own_scope_and_exits_with_the_failure_lines()
    {
        var g = ThreadGrammar.Start("Current State: 100:[2, 3, 4], Operations: []\n", GrammarSettings.SosPlus);
        g.Advance("Exploring Operation: 2+3=5, Resulting Numbers: [4, 5]\n");
        g.Advance("Generated Node #0,0: 100:[4, 5] Operation: 2+3=5\n");
        g.Advance("Exploring Operation: 3+4=7, Resulting Numbers: [2, 7]\n");
        g.Advance("Generated Node #0,1: 100:[2, 7] Operation: 3+4=7\n");
        Assert.Contains("Start Sub Search at level 1: Moving to Node #0,1\n", g.Options);
        Assert.Contains("Moving to Node #0,0\n", g.Options);
        g.Advance("Start Sub Search at level 1: Moving to Node #0,1\n");
        g.Advance("Current State: 100:[2, 7], Operations: ['3+4=7']\n");
        Assert.DoesNotContain("Moving to Node #0,0\n", g.Options);
        Assert.Contains("Exploring Operation: 2*7=14, Resulting Numbers: [14]\n", g.Options);
        g.Advance("No solution found.\n");
        Assert.Equal(["Exit Sub Search at level 1\n"], g.Options);
        g.Advance("Exit Sub Search at level 1\n");
        g.Advance("No solution found in sub search\n");
        Assert.Contains("Moving to Node #0,0\n", g.Options);
        Assert.DoesNotContain("Moving to Node #0,1\n", g.Options);
        var e = Assert.Throws<ProtocolException>(() => g.Advance("Moving to Node #0,1\n"));
        Assert.Equal(ProtocolErrorKind.NodeAlreadyExplored, e.Kind);
    }

    [Fact]
    public void An_apr_spawn_is_built_line_by_line_and_a_solved_child_forces_the_full_recap()
    {
        var g = ThreadGrammar.Start("Moving to Node #0\nCurrent State: 10:[2, 3, 5], Operations: []\n", GrammarSettings.AprRoot);
        Assert.DoesNotContain("<Calling Sub Searches>\n", g.Options);
        g.Advance("Exploring Operation: 2+3=5, Resulting Numbers: [5, 5]\n");
        Assert.Equal(["Generated Node #0,0: 10:[5, 5] Operation: 2+3=5\n"], g.Options);
        g.Advance("Generated Node #0,0: 10:[5, 5] Operation: 2+3=5\n");
        g.Advance("<Calling Sub Searches>\n");
        Assert.Equal(["<Start Sub Search 0 at level 1> Moving to Node #0,0\n"], g.Options);
        g.Advance("<Start Sub Search 0 at level 1> Moving to Node #0,0\n");
        Assert.Equal(["<End Calling Sub Searches>\n"], g.Options);
        g.Advance("<End Calling Sub Searches>\n");
        Assert.Equal(GrammarState.AwaitingJoin, g.State);
        var request = SpawnProtocol.FromGrammar(g, "whole text\n<Calling Sub Searches>\n");
        var child = Assert.Single(request.Children);
        Assert.Equal("Moving to Node #0,0\nCurrent State: 10:[5, 5], Operations: ['2+3=5']\n", child.Prompt);

        var c = ThreadGrammar.Start(child.Prompt, GrammarSettings.AprRoot.ForChild());
        Assert.DoesNotContain("<Calling Sub Searches>\n", c.Options);
        c.Advance("Exploring Operation: 5+5=10, Resulting Numbers: [10]\n");
        while (c.State == GrammarState.Open) c.Advance(c.Options.Single());
        const string childRecap = "Moving to Node #0,0\nCurrent State: 10:[5, 5], Operations: ['2+3=5']\nExploring Operation: 5+5=10, Resulting Numbers: [10]\n10,10 equal: Goal Reached\n";
        Assert.Equal(childRecap, c.RecapText);

        g.AdvanceInserted("<Sub Searches>\n<Goal Reached in Sub Search 0 at level 1 at Node #0,0>\n" + childRecap + "<End Sub Searches>\n");
        var rest = "";
        while (g.State == GrammarState.Open) { rest += g.Options.Single(); g.Advance(g.Options.Single()); }
        Assert.Equal("10,10 equal: Goal Reached\nMoving to Node #0\nCurrent State: 10:[2, 3, 5], Operations: []\n"
            + "Exploring Operation: 2+3=5, Resulting Numbers: [5, 5]\nGenerated Node #0,0: 10:[5, 5] Operation: 2+3=5\n" + childRecap, rest);
        Assert.Equal(["2+3=5", "5+5=10"], g.Answer!.Select(o => o.ToString()));
    }

    [Fact]
    public void A_join_block_with_a_wrong_recap_is_rejected()
    {
        var g = ThreadGrammar.Start("Moving to Node #0\nCurrent State: 10:[2, 3, 5], Operations: []\n", GrammarSettings.AprRoot);
        foreach (var line in new[] { "Exploring Operation: 2+3=5, Resulting Numbers: [5, 5]\n", "Generated Node #0,0: 10:[5, 5] Operation: 2+3=5\n", "<Calling Sub Searches>\n", "<Start Sub Search 0 at level 1> Moving to Node #0,0\n", "<End Calling Sub Searches>\n" })
            g.Advance(line);
        var e = Assert.Throws<ProtocolException>(() => g.AdvanceInserted("<Sub Searches>\n<Goal Reached in Sub Search 0 at level 1 at Node #0,0>\nMoving to Node #0,0\nCurrent State: 10:[5, 5], Operations: ['2+3=5']\nExploring Operation: 5*5=25, Resulting Numbers: [25]\n10,10 equal: Goal Reached\n<End Sub Searches>\n"));
        Assert.Equal(ProtocolErrorKind.BadRecap, e.Kind);
        Assert.Contains("25", e.Message);
    }

    [Fact]
    public void After_a_failed_join_the_next_state_may_follow_without_a_move_line()
    {
        var g = ThreadGrammar.Start("Moving to Node #0\nCurrent State: 100:[2, 3, 4], Operations: []\n", GrammarSettings.AprRoot);
        foreach (var line in new[] { "Exploring Operation: 2+3=5, Resulting Numbers: [4, 5]\n", "Generated Node #0,0: 100:[4, 5] Operation: 2+3=5\n",
                     "Exploring Operation: 3+4=7, Resulting Numbers: [2, 7]\n", "Generated Node #0,1: 100:[2, 7] Operation: 3+4=7\n",
                     "<Calling Sub Searches>\n", "<Start Sub Search 0 at level 1> Moving to Node #0,1\n", "<End Calling Sub Searches>\n" })
            g.Advance(line);
        g.AdvanceInserted("<Sub Searches>\n<No Solution in Sub Search 0 at level 1 at Node #0,1>\n<End Sub Searches>\n");
        Assert.Contains("Current State: 100:[4, 5], Operations: ['2+3=5']\n", g.Options);
        Assert.Contains("Moving to Node #0,0\n", g.Options);
        var before = g.Options.ToList();
        Assert.Throws<ProtocolException>(() => g.Advance("Current State: 100:[4, 6], Operations: ['2+3=5']\n"));
        Assert.Equal(before, g.Options);
        g.Advance("Current State: 100:[4, 5], Operations: ['2+3=5']\n");
        Assert.Contains("Exploring Operation: 4*5=20, Resulting Numbers: [20]\n", g.Options);
        Assert.DoesNotContain("Current State: 100:[4, 5], Operations: ['2+3=5']\n", g.Options);
    }

    [Fact]
    public void Mark_tells_chosen_from_forced_characters()
    {
        const string line = "Exploring Operation: 2*3=6, Resulting Numbers: [6]\n";
        var completion = line + "6,6 equal: Goal Reached\nMoving to Node #0\n" + SosPrompt + line + "6,6 equal: Goal Reached\n";
        var marks = GrammarReplay.Mark(SosPrompt, completion, GrammarSettings.SosPlus);
        Assert.True(marks.Ok);
        Assert.Equal(GrammarState.Finished, marks.EndState);
        var chosen = Enumerable.Range(0, completion.Length).Where(i => !marks.Forced[i]).ToArray();
        Assert.Equal([0, 21, 22], chosen); // 'E' vs 'N'o solution; '2' vs '3'-2; '*' vs '+'
    }

    [Fact]
    public void Mark_reports_where_the_text_leaves_the_grammar()
    {
        var marks = GrammarReplay.Mark(SosPrompt, "Exploring Operation: 2*3=7, Resulting Numbers: [7]\n", GrammarSettings.SosPlus);
        Assert.False(marks.Ok);
        Assert.Equal(25, marks.LeftAt); // "Exploring Operation: 2*3=" is 25 characters
        Assert.Equal(ProtocolErrorKind.BadArithmetic, marks.Kind);
        var partial = GrammarReplay.Mark(SosPrompt, "Exploring Operation: 2*", GrammarSettings.SosPlus);
        Assert.True(partial.Ok);
        Assert.Equal(GrammarState.Open, partial.EndState);
        var after = GrammarReplay.Mark(SosPrompt, "No solution found.\nNo", GrammarSettings.SosPlus);
        Assert.Equal(19, after.LeftAt);
        Assert.Equal(ProtocolErrorKind.TextAfterEnd, after.Kind);
    }

    [Fact]
    public void Prompts_are_checked()
    {
        Assert.Equal(ProtocolErrorKind.BadState, Assert.Throws<ProtocolException>(() => ThreadGrammar.Start(SosPrompt, GrammarSettings.AprRoot)).Kind);
        Assert.Equal(ProtocolErrorKind.BadState, Assert.Throws<ProtocolException>(() => ThreadGrammar.Start("Moving to Node #0,1\nCurrent State: 6:[2, 3], Operations: []\n", GrammarSettings.AprRoot)).Kind);
        Assert.Equal(ProtocolErrorKind.MalformedLine, Assert.Throws<ProtocolException>(() => ThreadGrammar.Start("Current State: 6:[2, 3], Operations: []", GrammarSettings.SosPlus)).Kind);
        var budget = ThreadGrammar.Start("Sub Call Budget: 4 Moving to Node #0\nCurrent State: 6:[2, 3], Operations: []\n", GrammarSettings.AprRoot);
        Assert.Equal(6, budget.Target);
        Assert.Equal(4, ThreadGrammar.Start("Token Budget: 512 " + SosPrompt, GrammarSettings.SosPlus).Options.Count);
    }
}
