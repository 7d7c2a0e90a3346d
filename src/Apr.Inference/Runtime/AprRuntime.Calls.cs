// AprRuntime, part 2: what happens when a call ends (spawn, child result, join and resume, the end of a
// problem) and the per-problem guards. See AprRuntime.cs.
using Apr.Countdown;
using Apr.Protocol;

namespace Apr.Inference;

public sealed partial class AprRuntime
{
    private void OnCallEnded(CallSequence seq)
    {
        var thread = (RuntimeThread)seq.Tag!;
        if (thread.Problem.Done) return;
        if (seq.End == CallEnd.TokenLimit)
        {
            var allowance = thread.Problem.Allowance;
            StopProblem(thread.Problem, ThreadOutcome.TokenLimit, $"the next token would pass the problem's limit of {allowance.Limit} tokens ({allowance.Used} used)");
            return;
        }
        if (seq.End == CallEnd.Failed)
        {
            StopProblem(thread.Problem, ThreadOutcome.BackendError, seq.Error ?? "the backend failed");
            return;
        }
        var prompt = thread.CurrentPrompt;
        var completion = seq.CompletionText;
        ThreadGrammar? grammar = seq.Grammar;
        ThreadOutcome outcome;
        string? detail = null;
        if (seq.End == CallEnd.ContextLimit)
        {
            outcome = ThreadOutcome.ContextLimit;
            detail = seq.Tokens.Count == 0 && seq.PromptIds.Length > seq.ContextLimit
                ? $"the prompt's {seq.PromptIds.Length} tokens do not fit the context limit {seq.ContextLimit}"
                : $"prompt {seq.PromptIds.Length} + completion {seq.Tokens.Count} tokens reached the context limit {seq.ContextLimit}";
        }
        else if (grammar is not null) outcome = OutcomeOf(grammar);
        else (outcome, grammar, detail) = Replay(prompt, completion, thread.Settings);

        SpawnRequest? request = null;
        if (outcome == ThreadOutcome.Spawned)
            (outcome, request, detail) = CheckSpawn(thread, grammar!, prompt + completion);
        if (outcome != ThreadOutcome.Spawned) _engine.ReleaseParked(seq);

        Record(thread, seq, outcome, detail, request?.Children.Count ?? 0);
        if (request is null)
        {
            EndThread(thread, outcome, grammar, detail);
            return;
        }
        thread.Problem.Spawns++;
        thread.Grammar = grammar;
        thread.Spawn = request;
        thread.Children = new RuntimeThread[request.Children.Count];
        thread.Results = new ChildResult?[request.Children.Count];
        var told = ChildConditioning(thread.Problem);
        thread.Seen?.Absorb(grammar); // a child knows what its parent knew when it spawned (SeenStates)
        for (int i = 0; i < request.Children.Count; i++)
        {
            var spawned = request.Children[i];
            var child = new RuntimeThread(thread.Problem, TraceTree.ChildThread(thread.Id, thread.ChildrenEver++), thread,
                thread.Level + 1, spawned.Node.Id, thread.Settings.ForChild()) { SpawnIndex = i, Seen = thread.Seen?.Copy() };
            thread.Children[i] = child;
            thread.Problem.Live.Add(child);
            StartCall(child, told + spawned.Prompt, null);
        }
    }

    /// <summary>What a child's prompt starts with: with TellChildren, the root's conditioning prefixes (its 'Token Budget: B '); else nothing.</summary>
    private string ChildConditioning(ProblemRun run) => _options.TellChildren ? Conditioning(_options.TokenBudgetFor(run.Item)) : "";

    private static ThreadOutcome OutcomeOf(ThreadGrammar grammar) => grammar.State switch
    {
        GrammarState.Finished => grammar.Answer is not null ? ThreadOutcome.Solved : ThreadOutcome.NoSolution,
        GrammarState.AwaitingJoin => ThreadOutcome.Spawned,
        _ => ThreadOutcome.CutOff,
    };

    /// <summary>Unguided text: replays the call line by line; the first bad line decides the outcome.</summary>
    private static (ThreadOutcome, ThreadGrammar?, string?) Replay(string prompt, string completion, GrammarSettings settings)
    {
        ThreadGrammar grammar;
        try { grammar = ThreadGrammar.Start(prompt, settings); }
        catch (ProtocolException e) { return (ThreadOutcome.Malformed, null, e.Message); }
        int from = 0;
        while (from < completion.Length)
        {
            int nl = completion.IndexOf('\n', from);
            if (nl < 0) return (ThreadOutcome.CutOff, grammar, $"the text ends in the unfinished line '{completion[from..]}'");
            try { grammar.Advance(completion.Substring(from, nl - from + 1)); }
            catch (ProtocolException e)
            {
                return (e.Kind == ProtocolErrorKind.ForbiddenJoinBlock ? ThreadOutcome.ForbiddenJoinBlock : ThreadOutcome.Malformed, grammar, e.Message);
            }
            from = nl + 1;
        }
        var outcome = OutcomeOf(grammar);
        return (outcome, grammar, outcome == ThreadOutcome.CutOff ? "the model ended before the thread reached an ending" : null);
    }

    private (ThreadOutcome, SpawnRequest?, string?) CheckSpawn(RuntimeThread thread, ThreadGrammar grammar, string text)
    {
        SpawnRequest request;
        try { request = SpawnProtocol.FromGrammar(grammar, text); }
        catch (ProtocolException e) { return (ThreadOutcome.Malformed, null, e.Message); }
        if (request.Children.Count > _guards.MaxChildrenPerSpawn)
            return (ThreadOutcome.ChildLimit, null, $"the spawn names {request.Children.Count} children; the limit is {_guards.MaxChildrenPerSpawn}");
        if (thread.Problem.Spawns >= _guards.MaxSpawnsPerProblem)
            return (ThreadOutcome.SpawnLimit, null, $"spawn {thread.Problem.Spawns + 1} passes the limit of {_guards.MaxSpawnsPerProblem} per problem");
        return (ThreadOutcome.Spawned, request, null);
    }

    private void Record(RuntimeThread thread, CallSequence seq, ThreadOutcome outcome, string? detail, int spawnedChildren = 0)
    {
        var problem = thread.Problem;
        var record = new ThreadCallRecord(thread.Id, thread.Parent?.Id, thread.Calls, thread.Level, thread.NodeId, thread.CurrentPrompt,
            seq.CompletionText, seq.PromptIds.Length, thread.CurrentShared, seq.ReusedPrefix, seq.Tokens.ToArray(), outcome, detail,
            seq.StartStep, seq.EndStep, seq.StartMs, seq.EndMs, seq.Forwards)
        { PromptIds = seq.PromptIds, Choices = seq.Choices.ToArray(), ChoiceBias = seq.ChoiceBias.ToArray(), SpawnedChildren = spawnedChildren, Started = seq.Started };
        problem.Records.Add(record);
        Progress?.Invoke(new RuntimeProgress(problem.Index, thread.Id, thread.Parent?.Id, thread.NodeId, thread.Calls, record));
        thread.LastIds = [.. seq.PromptIds, .. seq.Tokens.Where(t => t.Id != _tokenizer.Eos).Select(t => t.Id)];
        thread.CurrentRecorded = true;
        thread.Calls++;
        if (problem.StartStep < 0 || (thread.Parent is null && record.Call == 0))
        {
            problem.StartStep = seq.StartStep;
            problem.StartMs = seq.StartMs;
        }
    }

    private void EndThread(RuntimeThread thread, ThreadOutcome outcome, ThreadGrammar? grammar, string? detail)
    {
        thread.Ended = true;
        thread.LastOutcome = outcome;
        if (outcome == ThreadOutcome.Solved && grammar is not null)
        {
            thread.Answer = grammar.Answer;
            thread.Recap = grammar.RecapText;
        }
        var problem = thread.Problem;
        problem.Live.Remove(thread);
        if (thread.Parent is null) FinishProblem(problem);
        else ChildEnded(thread);
    }

    private void ChildEnded(RuntimeThread child)
    {
        var parent = child.Parent!;
        if (child.Seen is { } known)
        {
            known.Absorb(child.Grammar);
            parent.Seen!.Known.UnionWith(known.Known); // a parent resumes knowing what its children knew (SeenStates)
        }
        parent.Results[child.SpawnIndex] = child.LastOutcome == ThreadOutcome.Solved && child.Recap is not null
            ? new ChildResult(child.SpawnIndex, child.NodeId, true, child.Recap)
            : ChildResult.Failed(child.SpawnIndex, child.NodeId);
        if (Array.Exists(parent.Results, r => r is null)) return;
        var request = parent.Spawn!;
        var joinPrompt = SpawnProtocol.JoinPrompt(request, parent.Results!);
        if (_options.Guided)
        {
            parent.Grammar!.AdvanceInserted(joinPrompt[SpawnJoin.LastSpawnStart(request.ParentText)..]);
            if (parent.Problem.Spawns >= _guards.MaxSpawnsPerProblem)
            {
                // The spawn budget is spent: the resumed call is offered no spawn at all.
                try { parent.Grammar = ThreadGrammar.Start(joinPrompt, parent.Settings with { MaxChildren = 0 }); }
                catch (ProtocolException) { /* keep the live grammar; a spawn then ends as SpawnLimit */ }
            }
        }
        parent.Spawn = null;
        StartCall(parent, joinPrompt, parent.Current);
    }

    private void FinishProblem(ProblemRun problem)
    {
        problem.Done = true;
        var root = problem.Root!;
        var item = problem.Item;
        var answer = problem.StoppedBy is null && root.LastOutcome == ThreadOutcome.Solved ? root.Answer : null;
        var verification = answer is null ? null : Verifier.Verify(item.Problem.Target, item.Problem.Nums, answer);
        double start = problem.StartMs < 0 ? _engine.ElapsedMs : problem.StartMs;
        double end = _engine.ElapsedMs;
        long startStep = problem.StartStep < 0 ? _engine.StepIndex : problem.StartStep;
        var calls = problem.Records.Select(r => r with { StartMs = r.StartMs - start, EndMs = r.EndMs - start }).ToArray();
        var cost = CallCost.Of(calls.Select(c => c.Shape).ToArray());
        var record = new ProblemRecord(item.Problem.Id, item.Sample, item.Problem.Target, item.Problem.Nums, _options.Method,
            answer?.ToArray(), verification?.Ok ?? false, verification is { Ok: false } v ? v.Error : null,
            problem.StoppedBy ?? root.LastOutcome, calls, cost.TotalTokens, calls.Sum(c => (long)c.SampledTokens),
            cost.SequentialTokens, end - start, _engine.StepIndex - startStep, cost.Children, cost.Spawns) { Budget = _options.BudgetFor(item) };
        _completed.Add((problem, record));
    }

    /// <summary>The per-problem guard on wall-clock time (tokens are held to the TokenAllowance as they are added); a stopped problem ends unsolved.</summary>
    private void CheckGuards()
    {
        foreach (var problem in _inflight)
        {
            if (problem.Done) continue;
            // The clock starts when the root's first call is admitted (a problem waiting for a slot is not timed).
            double started = problem.StartMs >= 0 ? problem.StartMs : problem.Root?.Current is { StartStep: >= 0 } first ? first.StartMs : -1;
            if (started < 0) continue;
            if (_engine.ElapsedMs - started > _guards.MaxWallMsPerProblem) StopProblem(problem, ThreadOutcome.TimeLimit, $"{_engine.ElapsedMs - started:F0} ms passed the limit of {_guards.MaxWallMsPerProblem:F0} ms per problem");
        }
    }

    private void StopProblem(ProblemRun problem, ThreadOutcome outcome, string detail)
    {
        problem.StoppedBy = outcome;
        foreach (var thread in problem.Live.ToArray())
        {
            if (thread.Current is { } seq)
            {
                if (!thread.CurrentRecorded)
                {
                    _engine.Cancel(seq);
                    Record(thread, seq, outcome, detail);
                }
                else _engine.ReleaseParked(seq);
            }
            thread.Ended = true;
            thread.LastOutcome = outcome;
        }
        problem.Live.Clear();
        FinishProblem(problem);
    }
}
