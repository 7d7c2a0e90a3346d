// Candidate: one successor of a node before it is kept: the operation, the pair it used (positions in
// the parent's numbers) and its heuristic key. A plain struct for the scratch buffers.
using Apr.Countdown;

namespace Apr.Search;

internal struct Candidate
{
    public Operation Op;
    public long Key;
    public int I;
    public int J;
}
