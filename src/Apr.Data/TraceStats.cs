// TraceStats: what a traces file holds, measured in our tokens: counts, tokens per call, calls,
// spawns and children per problem, how many problems fit a context window, characters per token,
// and the share of completion tokens the model must choose under guided decoding.
//
// Streaming: Add one record at a time; only per-call and per-problem numbers are kept.
using Apr.Countdown;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Data;

/// <summary>The summary <see cref="TraceStats"/> computes.</summary>
public sealed record TraceStatsSummary(
    int Problems,
    int Solved,
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
    private int _problems, _solved, _grammarFailures;
    private long _chars, _tokens, _completionTokens, _chosenTokens;

    public void Add(TraceRecord r)
    {
        _problems++;
        _solved += r.Solved ? 1 : 0;
        _methods[r.Method] = _methods.GetValueOrDefault(r.Method) + 1;
        int longest = 0, total = 0, spawns = 0;
        var threads = new HashSet<string>(StringComparer.Ordinal);
        var previousText = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var call in r.Calls)
        {
            var prompt = tokenizer.CountTokens(call.Prompt);
            var completion = tokenizer.CountTokens(call.Completion);
            var length = 1 + prompt + completion + 1;   // BOS + prompt + completion + EOS: the sequence the model holds
            _tokensPerCall.Add(length);
            longest = Math.Max(longest, length);
            // Total tokens count a resumed parent's shared prefix once: only the text after its spawn cut is new.
            var shared = previousText.TryGetValue(call.Thread, out var before) ? TraceCost.SharedPrefixTokens(before, tokenizer) : 0;
            total += length - shared;
            previousText[call.Thread] = call.Text;
            _chars += call.Prompt.Length + call.Completion.Length;
            _tokens += prompt + completion;
            threads.Add(call.Thread);
            if (call.Completion.EndsWith(TraceFormat.EndCallingSubSearches + "\n", StringComparison.Ordinal)) spawns++;
            if (markChosen) Mark(call);
        }
        _longest.Add(longest);
        _total.Add(total);
        _calls.Add(r.Calls.Count);
        _spawns.Add(spawns);
        _children.Add(threads.Count - 1);
    }

    private void Mark(ThreadCall call)
    {
        try
        {
            var m = TokenMarking.Mark(call, tokenizer, aprMaxDepth);
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
        return new TraceStatsSummary(_problems, _solved, new Dictionary<string, int>(_methods),
            Percentiles.Of(_tokensPerCall), Percentiles.Of(_longest), Percentiles.Of(_total), Percentiles.Of(_calls),
            Percentiles.Of(_spawns), Percentiles.Of(_children), exceeds,
            _tokens == 0 ? 0 : (double)_chars / _tokens, _completionTokens, _chosenTokens, _grammarFailures);
    }
}
