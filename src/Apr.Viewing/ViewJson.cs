// ViewJson: a ProblemRecord as the thread view draws it: the record's JSON (ProblemRecordJson, with texts)
// plus, per call, whether it is on the critical path (CallCost.CriticalPath: the calls the sequential
// tokens count) and "marks": its completion as runs of [text, chosen] (chosen: the model sampled the
// token; otherwise the grammar inserted it). Marks come from the record's own token ids when it holds them
// (a live run), else from TokenMarking over the text, kept only when its count of chosen tokens equals the
// record's sampled_tokens (an unguided run, a record from another vocabulary, or a call whose line a runtime
// guard forced, such as a spawn cut at the child limit, fails that check and is shown unmarked, with the
// reason: the view never shows marks it cannot vouch for). It renders nothing itself.
using System.Text;
using System.Text.Json.Nodes;
using Apr.Data;
using Apr.Inference;
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Viewing;

public static class ViewJson
{
    /// <summary>The view of <paramref name="record"/>; <paramref name="condition"/> names where it came from (an eval condition, a file).</summary>
    public static JsonObject Record(ProblemRecord record, TraceTokenizer tokenizer, string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var o = ProblemRecordJson.ToJson(record, texts: true);
        bool texts = record.Calls.Any(c => c.Prompt.Length > 0 || c.Completion.Length > 0);
        o["texts_recorded"] = texts;
        if (condition is not null) o["condition"] = condition;
        var critical = CallCost.CriticalPath([.. record.Calls.Select(c => c.Shape)]).ToHashSet();
        int depth = Math.Max(1, record.Calls.Count == 0 ? 1 : record.Calls.Max(c => c.Level));
        var threads = o["threads"]!.AsArray();
        for (int i = 0; i < record.Calls.Count; i++)
        {
            var call = record.Calls[i];
            var view = threads[i]!.AsObject();
            view["critical"] = critical.Contains(i);
            if (!texts) continue;
            var (marks, why) = Marks(record.Method, call, tokenizer, depth);
            if (marks is not null) view["marks"] = marks;
            else view["marks_note"] = why;
        }
        return o;
    }

    /// <summary>The completion of <paramref name="call"/> as runs of [text, chosen], or null and why not.</summary>
    public static (JsonArray? Marks, string? Why) Marks(SearchMethod method, ThreadCallRecord call, TraceTokenizer tokenizer, int aprMaxDepth = 1)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var runs = new Runs();
        if (call.Tokens.Count > 0 && call.Tokens.All(t => t.Id >= 0))
        {
            foreach (var t in call.Tokens)
                if (t.Id < tokenizer.VocabSize && !tokenizer.IsSpecial(t.Id)) runs.Add(tokenizer.TokenText(t.Id), t.Source == TokenSource.Sampled);
                else if (t.Id >= tokenizer.VocabSize) return (null, $"token id {t.Id} is outside the vocabulary ({tokenizer.VocabSize})");
            return runs.Text == call.Completion ? (runs.Json, null) : (null, "the tokens do not spell the completion");
        }
        MarkedCompletion marked;
        try { marked = TokenMarking.Mark(method, new ThreadCall(call.Thread, call.Parent, call.Prompt, call.Completion), tokenizer, aprMaxDepth); }
        catch (ProtocolException e) { return (null, "the completion leaves the trace grammar: " + e.Message); }
        if (marked.ChosenCount != call.SampledTokens)
            return (null, $"the grammar marks {marked.ChosenCount} chosen tokens, the record says {call.SampledTokens} were sampled (a guard, such as the child limit, forced a line the grammar leaves open; or the run was unguided)");
        for (int i = 0; i < marked.Tokens.Length; i++) runs.Add(tokenizer.TokenText(marked.Tokens[i]), marked.Chosen[i]);
        return runs.Text == call.Completion ? (runs.Json, null) : (null, "the tokens do not spell the completion");
    }

    /// <summary>Adjacent tokens of the same kind merged into one [text, chosen] run.</summary>
    private sealed class Runs
    {
        private readonly StringBuilder _all = new(), _run = new();
        private bool? _chosen;
        public JsonArray Json { get { Flush(); return _json; } }
        public string Text => _all.ToString();
        private readonly JsonArray _json = [];

        public void Add(string text, bool chosen)
        {
            if (_chosen != chosen) Flush();
            _chosen = chosen;
            _run.Append(text);
            _all.Append(text);
        }

        private void Flush()
        {
            if (_run.Length > 0) _json.Add(new JsonArray(_run.ToString(), _chosen!.Value));
            _run.Clear();
        }
    }
}
