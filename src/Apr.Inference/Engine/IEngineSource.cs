// IEngineSource: where a session's runtimes get their engine when the model does not run in this process
// (Apr.Remote's RemoteBackend: vLLM-style servers). The session stays the one composition root: it
// loads the tokenizer and sizes the context; the source builds an engine per runtime. A trainer that
// updates the weights (apr rl --backend) writes them and has the source reload them on every server.
using Apr.Protocol;
using Apr.Tokenization;

namespace Apr.Inference;

public interface IEngineSource
{
    /// <summary>What decodes (for messages), e.g. "2 servers (http://a:8000, http://b:8000)".</summary>
    string Describe { get; }

    /// <summary>A fresh engine for <paramref name="method"/>'s model: calls of at most <paramref name="context"/> tokens, <paramref name="slots"/> per server in flight.</summary>
    ICallEngine NewEngine(TraceTokenizer tokenizer, int context, int slots, SearchMethod method);

    /// <summary>Tells every server to load the weights in <paramref name="modelDirectory"/> (a trainer after each update); returns when all have.</summary>
    void Reload(string modelDirectory, SearchMethod method);
}
