// CompletionChoice: what one choice of a /v1/completions request has received so far from the engine
// loop, and its text as the client sees it: the completion tokens decoded (EOS and a closing stop token
// left out), cut before the first stop string. Also the finish reason and vLLM's stop_reason.
using Apr.Inference;
using Apr.Tokenization;

namespace Apr.Serving;

internal sealed class CompletionChoice(TraceTokenizer tokenizer, IReadOnlyList<string> stops)
{
    public List<ThreadToken> Tokens { get; } = [];
    public List<(int Id, float LogProb)[]> Top { get; } = [];
    public CallEnd End { get; private set; }
    public string? StopString { get; private set; }

    /// <summary>The call ended, or the text reached a stop string.</summary>
    public bool Finished => End != CallEnd.None || StopString is not null;

    /// <summary>Characters of Text already sent (streaming).</summary>
    public int Sent { get; set; }

    /// <summary>Tokens already sent (streaming).</summary>
    public int SentTokens { get; set; }

    public string Text { get; private set; } = "";

    public void Add(CompletionEvent e)
    {
        if (Finished) return;
        Tokens.AddRange(e.Tokens);
        Top.AddRange(e.Top);
        End = e.End;
        var ids = Tokens.Select(t => t.Id).Where(id => id != tokenizer.Eos).ToList();
        if (End == CallEnd.StopToken && ids.Count > 0) ids.RemoveAt(ids.Count - 1);
        var text = tokenizer.Decode(ids.ToArray());
        int cut = -1;
        foreach (var stop in stops)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) { cut = at; StopString = stop; }
        }
        Text = cut >= 0 ? text[..cut] : text;
    }

    /// <summary>Characters safe to send: all when finished, else all but a possible stop string's beginning.</summary>
    public int Sendable => Finished ? Text.Length : Math.Max(Sent, Text.Length - Math.Max(0, stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1));

    public string? FinishReason => StopString is not null ? "stop" : End switch
    {
        CallEnd.None => null,
        CallEnd.ContextLimit => "length",
        _ => "stop",
    };

    /// <summary>vLLM's stop_reason: the stop string or stop token id that ended the choice, else null (EOS, length).</summary>
    public object? StopReason => StopString is not null ? StopString : End == CallEnd.StopToken && Tokens.Count > 0 ? Tokens[^1].Id : null;
}
