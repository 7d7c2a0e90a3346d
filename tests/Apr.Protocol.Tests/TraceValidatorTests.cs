namespace Apr.Protocol.Tests;

/// <summary>Mutations of reference trees must be caught, at the right thread, call and line.</summary>
public sealed class TraceValidatorTests
{
    private static TraceTree Tree(int sample) => ReferenceSamples.Apr[sample].Tree;

    private static TraceTree With(TraceTree tree, int call, Func<ThreadCall, ThreadCall> change)
    {
        var calls = tree.Calls.ToList();
        calls[call] = change(calls[call]);
        return tree with { Calls = calls };
    }

    private static ValidationResult Fails(TraceTree tree, string thread, ProtocolErrorKind kind, string mentioned)
    {
        var r = TraceValidator.Validate(tree);
        Assert.False(r.Ok, "the mutated tree validated");
        Assert.True(thread == r.Thread && kind == r.Kind, $"expected {kind} in thread {thread}, got {r}");
        Assert.Contains(mentioned, r.Reason);
        return r;
    }

    [Fact]
    public void A_wrong_child_prompt_is_caught() =>
        Fails(With(Tree(6), 1, c => c with { Prompt = c.Prompt.Replace("[59, 2]", "[2, 59]") }), "0.0", ProtocolErrorKind.BadState, "[2, 59]");

    [Fact]
    public void A_child_may_repeat_the_roots_conditioning_prefix_and_nothing_else()
    {
        static TraceTree Told(TraceTree tree, string root, string child) =>
            tree with { Calls = [.. tree.Calls.Select(c => c with { Prompt = (c.Thread == "0" ? root : child) + c.Prompt })] };
        var tree = Tree(6);
        Assert.True(TraceValidator.Validate(Told(tree, "Token Budget: 8 ", "")).Ok);
        Assert.True(TraceValidator.Validate(Told(tree, "Token Budget: 8 ", "Token Budget: 8 ")).Ok);
        Fails(Told(tree, "Token Budget: 8 ", "Token Budget: 4 "), "0.0", ProtocolErrorKind.BadState, "or that after the root's 'Token Budget: 8 '");
        Fails(Told(tree, "", "Token Budget: 8 "), "0.0", ProtocolErrorKind.BadState, "child prompt 'Token Budget: 8 Moving");
    }

    [Fact]
    public void A_child_cut_off_mid_line_is_caught_in_that_child() =>
        Fails(With(Tree(6), 2, c => c with { Completion = c.Completion[..^5] }), "0.1", ProtocolErrorKind.MalformedLine, "unfinished line");

    [Fact]
    public void A_child_without_a_valid_ending_is_caught() =>
        Fails(With(Tree(6), 2, c => c with { Completion = c.Completion.Replace("No solution found.\n", "") }), "0.1", ProtocolErrorKind.BadState, "without a valid ending");

    [Fact]
    public void A_join_that_misreports_a_child_is_caught() =>
        Fails(With(Tree(1), 7, c => c with { Prompt = c.Prompt.Replace("<No Solution in Sub Search 5 at level 1 at Node #0,3,5>", "<No Solution in Sub Search 5 at level 1 at Node #0,3,4>") }),
            "0", ProtocolErrorKind.BadState, "join prompt");

    [Fact]
    public void A_join_claiming_success_for_a_failed_child_is_caught()
    {
        // Child 0.0 solved in the reference; if it gives up instead, the recorded join no longer matches.
        var mutated = With(Tree(6), 1, c => c with { Completion = "No solution found.\n" });
        Assert.True(TraceValidator.Validate(mutated with { Calls = [.. mutated.Calls.Take(3)] }) is { Ok: false, Kind: ProtocolErrorKind.BadState });
        Fails(mutated, "0", ProtocolErrorKind.BadState, "join prompt");
    }

    [Fact]
    public void Exploring_fewer_operations_in_a_failed_child_is_still_valid() =>
        Assert.True(TraceValidator.Validate(With(Tree(6), 2, c => c with { Completion = c.Completion.Replace("Exploring Operation: 59+21=80, Resulting Numbers: [80]\n80,57 unequal: No Solution\n", "") })).Ok);

    [Fact]
    public void Wrong_thread_numbering_is_caught() =>
        Fails(With(Tree(6), 2, c => c with { Thread = "0.5" }), "0.5", ProtocolErrorKind.WrongChildIndex, "0.1");

    [Fact]
    public void A_parent_resuming_before_its_children_ran_is_caught()
    {
        var calls = Tree(6).Calls.ToList();
        calls.RemoveAt(2);
        Fails(new TraceTree(SearchMethod.Apr, calls), "0", ProtocolErrorKind.BadState, "1 of its 2 children");
    }

    [Fact]
    public void A_spawn_that_is_never_joined_is_caught() =>
        Fails(new TraceTree(SearchMethod.Apr, [.. Tree(6).Calls.Take(3)]), "0", ProtocolErrorKind.BadState, "never finished");

    [Fact]
    public void The_root_prompt_must_be_the_trees_method_never_guessed_from_the_text()
    {
        var sos = ReferenceSamples.Sos[0].Tree;
        Assert.True(TraceValidator.Validate(sos).Ok);
        Fails(sos with { Method = SearchMethod.Apr }, "0", ProtocolErrorKind.BadState, "Moving to Node");
        Assert.False(TraceValidator.Validate(Tree(6) with { Method = SearchMethod.SosPlus }).Ok);
    }

    [Fact]
    public void Wrong_arithmetic_in_a_sosp_trace_is_caught_at_its_line()
    {
        var tree = ReferenceSamples.Sos[0].Tree;
        var r = Fails(With(tree, 0, c => c with { Completion = c.Completion.Replace("30+11=41, Resulting Numbers: [38, 44, 41]", "30+11=42, Resulting Numbers: [38, 44, 42]") }),
            "0", ProtocolErrorKind.BadArithmetic, "30+11=42");
        Assert.Equal(1, r.Line);
    }

    [Fact]
    public void A_sosp_trace_with_a_wrong_exit_level_is_caught()
    {
        var tree = ReferenceSamples.Sos[2].Tree;
        Fails(With(tree, 0, c => c with { Completion = c.Completion.Replace("Exit Sub Search at level 2\nExit Sub Search at level 1\n", "Exit Sub Search at level 1\nExit Sub Search at level 2\n") }),
            "0", ProtocolErrorKind.BadState, "Exit Sub Search at level 2");
    }

    [Fact]
    public void The_answer_is_the_root_recap_and_verifies()
    {
        var r = TraceValidator.Validate(Tree(6));
        Assert.True(r.Solved, r.ToString());
        Assert.Equal(["52-38=14", "14/7=2", "59-2=57"], r.Answer!.Select(o => o.ToString()));
    }

    [Fact]
    public void The_converter_numbers_children_across_spawns_and_keeps_execution_order()
    {
        var tree = Tree(1); // 5 spawns of 6 children each
        Assert.Equal(6 + 30, tree.Calls.Count);
        Assert.Equal(["0", "0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0", "0.6"], tree.Calls.Take(9).Select(c => c.Thread));
        Assert.All(tree.Calls.Where(c => c.Thread != "0"), c => Assert.Equal("0", c.Parent));
        Assert.EndsWith("<End Sub Searches>\n", tree.Calls[7].Prompt);
    }

    [Fact]
    public void The_converter_rejects_a_resumed_call_that_does_not_continue_its_parent()
    {
        var dict = new ReferenceTraceDict(
            ["Moving to Node #0\nCurrent State: 6:[2, 3], Operations: []\n<Calling Sub Searches>\n", "Moving to Node #0\nCurrent State: 6:[3, 2], Operations: []\n<Sub Searches>\n<End Sub Searches>\nNo solution found.\n"],
            [[]]);
        var e = Assert.Throws<ProtocolException>(() => ReferenceConverter.FromTraceDict(dict));
        Assert.Contains("call 1", e.Message);
    }
}
