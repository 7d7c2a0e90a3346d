using Apr.Countdown;

namespace Apr.Protocol.Tests;

/// <summary>The runtime's spawn/join functions, on reference sample 6 (57:[7, 38, 59, 52]; spawns #0,0,1 and #0,0,0).</summary>
public sealed class SpawnProtocolTests
{
    private static readonly GrammarSettings Root = GrammarSettings.AprRoot;
    private static ThreadCall Parent => ReferenceSamples.Apr[6].Tree.Calls[0];

    private static ProtocolException SpawnError(string completion) =>
        Assert.Throws<ProtocolException>(() => SpawnProtocol.ParseSpawn(Parent.Prompt, completion, Root));

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Parent.Completion);
        return Parent.Completion.Replace(from, to);
    }

    [Fact]
    public void A_reference_spawn_resolves_to_the_named_nodes_and_child_prompts()
    {
        Assert.True(SpawnProtocol.EndsInSpawnBlock(Parent.Text));
        var request = SpawnProtocol.ParseSpawn(Parent.Prompt, Parent.Completion, Root);
        Assert.Equal(57, request.Target);
        Assert.Equal(1, request.ChildLevel);
        Assert.Equal(["0,0,1", "0,0,0"], request.Children.Select(c => c.Node.Id));
        Assert.Equal([59L, 2], request.Children[0].Node.Nums);
        Assert.Equal(["52-38=14", "14/7=2"], request.Children[0].Node.Operations.Select(o => o.ToString()));
        Assert.Equal("Moving to Node #0,0,1\nCurrent State: 57:[59, 2], Operations: ['52-38=14', '14/7=2']\n", request.Children[0].Prompt);
        var tree = ReferenceSamples.Apr[6].Tree;
        Assert.Equal(tree.Calls[1].Prompt, request.Children[0].Prompt);
        Assert.Equal(tree.Calls[2].Prompt, request.Children[1].Prompt);
    }

    [Fact]
    public void Child_results_and_the_join_prompt_reproduce_the_reference_resumed_call()
    {
        var tree = ReferenceSamples.Apr[6].Tree;
        var request = SpawnProtocol.ParseSpawn(Parent.Prompt, Parent.Completion, Root);
        var r0 = SpawnProtocol.ReadChildResult(0, tree.Calls[1].Prompt, tree.Calls[1].Completion, Root.ForChild(), out var p0);
        var r1 = SpawnProtocol.ReadChildResult(1, tree.Calls[2].Prompt, tree.Calls[2].Completion, Root.ForChild(), out var p1);
        Assert.Null(p0);
        Assert.Null(p1);
        Assert.True(r0.Solved);
        Assert.False(r1.Solved);
        Assert.Equal("Moving to Node #0,0,1\nCurrent State: 57:[59, 2], Operations: ['52-38=14', '14/7=2']\nExploring Operation: 59-2=57, Resulting Numbers: [57]\n57,57 equal: Goal Reached\n", r0.Recap);
        Assert.Equal(tree.Calls[3].Prompt, SpawnProtocol.JoinPrompt(request, [r0, r1]));
    }

    [Fact]
    public void A_child_cut_off_mid_line_or_mid_search_is_a_failure_with_a_reason()
    {
        var child = ReferenceSamples.Apr[6].Tree.Calls[1];
        var cut = child.Completion[..(child.Completion.Length / 2)];
        var r = SpawnProtocol.ReadChildResult(0, child.Prompt, cut, Root.ForChild(), out var problem);
        Assert.False(r.Solved);
        Assert.Equal("0,0,1", r.NodeId);
        Assert.Contains("cut off", problem);
        var garbage = SpawnProtocol.ReadChildResult(0, child.Prompt, "Exploring Operation: 59-2=57, Resulting Numbers: [57]\nnonsense\n", Root.ForChild(), out problem);
        Assert.False(garbage.Solved);
        Assert.Contains("57,57 equal: Goal Reached", problem);
    }

    [Fact]
    public void Unknown_node_is_rejected_naming_it() =>
        AssertKind(SpawnError(Replace("Moving to Node #0,0,0\n<End", "Moving to Node #0,0,7\n<End")), ProtocolErrorKind.UnknownNode, "#0,0,7");

    [Fact]
    public void Explored_node_is_rejected_naming_it() =>
        AssertKind(SpawnError(Replace("Moving to Node #0,0,0\n<End", "Moving to Node #0,0\n<End")), ProtocolErrorKind.NodeAlreadyExplored, "#0,0");

    [Fact]
    public void Node_named_twice_is_rejected() =>
        AssertKind(SpawnError(Replace("Moving to Node #0,0,0\n<End", "Moving to Node #0,0,1\n<End")), ProtocolErrorKind.DuplicateChild, "#0,0,1");

    [Fact]
    public void Node_outside_the_thread_scope_is_rejected() =>
        AssertKind(SpawnError(Replace("Moving to Node #0,0,0\n<End", "Moving to Node #0,1,0\n<End")), ProtocolErrorKind.UnknownNode, "#0,1,0");

    [Fact]
    public void A_spawn_wider_than_the_limit_is_rejected_naming_the_limit()
    {
        var e = Assert.Throws<ProtocolException>(() => SpawnProtocol.ParseSpawn(Parent.Prompt, Parent.Completion, Root with { MaxChildren = 1 }));
        Assert.Equal(ProtocolErrorKind.TooManyChildren, e.Kind);
        Assert.Contains("names child 2, beyond the maximum 1 per spawn", e.Message);
    }

    [Fact]
    public void Unclosed_block_is_rejected()
    {
        AssertKind(SpawnError(Replace("<End Calling Sub Searches>\n", "")), ProtocolErrorKind.UnclosedSpawnBlock, "End Calling Sub Searches");
        AssertKind(SpawnError(Replace("<End Calling Sub Searches>\n", "<End Calling Sub")), ProtocolErrorKind.UnclosedSpawnBlock, "<End Calling Sub");
        AssertKind(SpawnError(Replace("<End Calling Sub Searches>\n", "Moving to Node #0,1\n")), ProtocolErrorKind.UnclosedSpawnBlock, "Moving to Node #0,1");
    }

    [Fact]
    public void Empty_block_is_rejected() =>
        AssertKind(SpawnError(Replace("<Start Sub Search 0 at level 1> Moving to Node #0,0,1\n<Start Sub Search 1 at level 1> Moving to Node #0,0,0\n", "")),
            ProtocolErrorKind.EmptySpawnBlock, "End Calling Sub Searches");

    [Fact]
    public void No_spawn_block_is_reported()
    {
        var child = ReferenceSamples.Apr[6].Tree.Calls[2];
        AssertKind(Assert.Throws<ProtocolException>(() => SpawnProtocol.ParseSpawn(child.Prompt, child.Completion, Root.ForChild())), ProtocolErrorKind.NoSpawnBlock, "Finished");
        Assert.False(SpawnProtocol.EndsInSpawnBlock(child.Text));
    }

    [Fact]
    public void Model_written_join_block_is_forbidden()
    {
        AssertKind(SpawnError(Replace("<Calling Sub Searches>", "<Sub Searches>")), ProtocolErrorKind.ForbiddenJoinBlock, "<Sub Searches>");
        AssertKind(SpawnError(Replace("<End Calling Sub Searches>", "<Sub Searches>")), ProtocolErrorKind.ForbiddenJoinBlock, "<Sub Searches>");
    }

    [Fact]
    public void Garbage_line_is_rejected_quoting_it() =>
        AssertKind(SpawnError(Replace("<Calling Sub Searches>\n", "the answer is 42\n<Calling Sub Searches>\n")), ProtocolErrorKind.MalformedLine, "the answer is 42");

    [Fact]
    public void Overflowing_number_is_rejected_quoting_it() =>
        AssertKind(SpawnError(Replace("Resulting Numbers: [7, 59, 14]", "Resulting Numbers: [7, 59, 99999999999999999999]")), ProtocolErrorKind.NumberOverflow, "99999999999999999999");

    [Fact]
    public void Wrong_arithmetic_is_rejected_naming_the_operation() =>
        AssertKind(SpawnError(Replace("52-38=14, Resulting Numbers: [7, 59, 14]", "52-38=15, Resulting Numbers: [7, 59, 15]")), ProtocolErrorKind.BadArithmetic, "52-38=15");

    [Fact]
    public void Wrong_resulting_numbers_are_rejected_naming_them() =>
        AssertKind(SpawnError(Replace("Resulting Numbers: [7, 59, 14]", "Resulting Numbers: [7, 14, 59]")), ProtocolErrorKind.BadState, "[7, 14, 59]");

    [Fact]
    public void Wrong_generated_line_is_rejected() =>
        AssertKind(SpawnError(Replace("Generated Node #0,0: 57:[7, 59, 14]", "Generated Node #0,1: 57:[7, 59, 14]")), ProtocolErrorKind.BadState, "#0,1");

    [Fact]
    public void Wrong_child_index_is_rejected_naming_it() =>
        AssertKind(SpawnError(Replace("<Start Sub Search 1 at level 1>", "<Start Sub Search 2 at level 1>")), ProtocolErrorKind.WrongChildIndex, "index 2");

    [Fact]
    public void Wrong_child_level_is_rejected_naming_it() =>
        AssertKind(SpawnError(Replace("<Start Sub Search 0 at level 1>", "<Start Sub Search 0 at level 2>")), ProtocolErrorKind.WrongLevel, "level 2");

    [Fact]
    public void A_child_at_maximum_depth_may_not_spawn()
    {
        var child = ReferenceSamples.Apr[1].Tree.Calls[1];
        var e = Assert.Throws<ProtocolException>(() => SpawnProtocol.ParseSpawn(child.Prompt, "<Calling Sub Searches>\n", Root.ForChild()));
        AssertKind(e, ProtocolErrorKind.WrongLevel, "level 1");
    }

    [Fact]
    public void A_node_given_to_a_child_cannot_be_moved_to_after_the_join()
    {
        var resumed = ReferenceSamples.Apr[1].Tree.Calls.First(c => c.Thread == "0" && c.Prompt.Contains("<Sub Searches>"));
        var e = Assert.Throws<ProtocolException>(() => SpawnProtocol.ParseSpawn(resumed.Prompt, "Moving to Node #0,3,0\n", Root));
        AssertKind(e, ProtocolErrorKind.NodeAlreadyExplored, "#0,3,0");
        Assert.Contains("given to a child", e.Message);
    }

    [Fact]
    public void Join_results_must_match_the_spawn()
    {
        var request = SpawnProtocol.ParseSpawn(Parent.Prompt, Parent.Completion, Root);
        AssertKind(Assert.Throws<ProtocolException>(() => SpawnProtocol.JoinPrompt(request, [ChildResult.Failed(0, "0,0,1")])), ProtocolErrorKind.WrongChildIndex, "1 child results");
        AssertKind(Assert.Throws<ProtocolException>(() => SpawnProtocol.JoinPrompt(request, [ChildResult.Failed(0, "0,0,0"), ChildResult.Failed(1, "0,0,1")])), ProtocolErrorKind.UnknownNode, "#0,0,0");
    }

    internal static void AssertKind(ProtocolException e, ProtocolErrorKind kind, string mentioned)
    {
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        Assert.Contains(mentioned, e.Message);
    }
}
