// BackendException: a request to the servers failed for good (after its retries, or at once for an answer
// that can never succeed: a 4xx, or a body that is not what was asked). The message is one line naming the
// server and what went wrong; the runtime records it on the problem (ThreadOutcome.BackendError).
namespace Apr.Remote;

public sealed class BackendException(string message, Exception? inner = null) : Exception(message, inner);
