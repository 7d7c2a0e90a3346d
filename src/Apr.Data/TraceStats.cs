// TraceStats: what a traces file holds, measured in our tokens: counts, tokens per call, calls,
// spawns and children per problem, how many problems fit a context window, characters per token,
// and the share of completion tokens the model must choose under guided decoding.
//
// Solved counts only records that pass the whole check (RecordConsistency.Validate: the trace replays
// and its answer verifies), never a record's own "solved" field; Invalid counts the others. Without the
// grammar replay (markChosen false) nothing is checked and Solved is null.
//
// Streaming: Add one record at a time; only per-call and per-problem numbers are kept.
using Apr.Core;
using Apr.Countdown;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Data;

/// <summary>The summary <see cref="TraceStats"/> computes.</summary>
public sealed record TraceStatsSummary(
    int Problems,
    int? Solved,
    int? Invalid,
    IReadOnlyDictionary<string, int> Methods,
    Percentiles TokensPerCall,
    Percentiles LongestCallTokens,
    Percentiles TotalTokensPerProblem,
    Percentiles CallsPerProblem,
    Percentiles SpawnsPerProblem,
    Percentiles ChildrenPerProblem,
    IReadOnlyDictionary<int, double> ExceedsContext,
    double CharsPerToken,
    long CompletionTokens,
    long ChosenTokens,
    int GrammarFailures)
{
    public double ChosenShare => CompletionTokens == 0 ? 0 : (double)ChosenTokens / CompletionTokens;
}

public sealed class TraceStats(TraceTokenizer tokenizer, IReadOnlyList<int> contexts, bool markChosen = true, int aprMaxDepth = 1)
{
    private readonly List<double> _tokensPerCall = [], _longest = [], _total = [], _calls = [], _spawns = [], _children = [];
    private readonly Dictionary<string, int> _methods = new(StringComparer.Ordinal);
    private int _problems, _solved, _invalid, _grammarFailures;
    private long _chars, _tokens, _completionTokens, _chosenTokens;

    public void Add(TraceRecord r)
    {
        _problems++;
        if (markChosen)
        {
            var (result, failure) = RecordConsistency.Validate(r, ValidationOptions.Default with { AprMaxDepth = aprMaxDepth });
            if (failure is null) _solved += result.Solved ? 1 : 0;
            else _invalid++;
        }
        _methods[r.Method.WireName()] = _methods.GetValueOrDefault(r.Method.WireName()) + 1;
        var cost = TraceCost.Of(r.Calls, tokenizer);
        foreach (var length in cost.CallLengths)
        {
            _tokensPerCall.Add(length);
            _tokens += length - 2; // prompt + completion, without BOS and EOS
        }
        foreach (var call in r.Calls)
        {
            _chars += call.Prompt.Length + call.Completion.Length;
            if (markChosen) Mark(r.Method, call, Math.Max(aprMaxDepth, r.Depth));
        }
        _longest.Add(cost.LongestCall);
        _total.Add(cost.TotalTokens);
        _calls.Add(r.Calls.Count);
        _spawns.Add(cost.Spawns);
        _children.Add(cost.Children);
    }

    private void Mark(SearchMethod method, ThreadCall call, int depth)
    {
        try
        {
            var m = TokenMarking.Mark(method, call, tokenizer, depth);
            _completionTokens += m.Tokens.Length + 1;   // + the forced EOS
            _chosenTokens += m.ChosenCount;
        }
        catch (ProtocolException)
        {
            _grammarFailures++;
        }
    }

    public TraceStatsSummary Summary()
    {
        var exceeds = contexts.ToDictionary(c => c, c => _problems == 0 ? 0 : _longest.Count(l => l > c) / (double)_problems);
        return new TraceStatsSummary(_problems, markChosen ? _solved : null, markChosen ? _invalid : null, new Dictionary<string, int>(_methods),
            Percentiles.Of(_tokensPerCall), Percentiles.Of(_longest), Percentiles.Of(_total), Percentiles.Of(_calls),
            Percentiles.Of(_spawns), Percentiles.Of(_children), exceeds,
            _tokens == 0 ? 0 : (double)_chars / _tokens, _completionTokens, _chosenTokens, _grammarFailures);
    }
}
