// MultiSampleResult: n samples of one problem summarised as pass@n and cons@n (reference section 6).
namespace Apr.Inference;

/// <summary>
/// <see cref="PassAtN"/>: any sample's answer verifies. <see cref="ConsAtN"/>: the majority answer (over
/// samples that produced an answer, verified or not; ties go to the earliest sample) verifies.
/// Token figures are summed over the samples (they run batched, in parallel).
/// </summary>
public sealed record MultiSampleResult(
    string Id,
    int Samples,
    bool PassAtN,
    bool ConsAtN,
    IReadOnlyList<Apr.Countdown.Operation>? MajorityAnswer,
    int MajorityVotes,
    long TotalTokens,
    long MaxSequentialTokens,
    double MaxLatencyMs);
