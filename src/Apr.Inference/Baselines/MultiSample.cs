// MultiSample: the cons@n / pass@n baselines: n independently seeded samples per problem, run batched
// in one AprRuntime.Solve call (any method: SoS+ as in the paper, or APR), then aggregated per problem.
// It does not decide the sampling temperature (the paper used 1.0 for these curves).
using Apr.Core;
using Apr.Countdown;

namespace Apr.Inference;

public static class MultiSample
{
    /// <summary>n items per problem: sample s of problem i gets seed Mix(Mix(seed, i), s).</summary>
    public static List<SolveItem> Items(IReadOnlyList<CountdownProblem> problems, int samples, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "need at least one sample");
        var items = new List<SolveItem>(problems.Count * samples);
        for (int i = 0; i < problems.Count; i++)
            for (int s = 0; s < samples; s++)
                items.Add(new SolveItem(problems[i], Rng.Mix(Rng.Mix(seed, (ulong)i), (ulong)s), s));
        return items;
    }

    /// <summary>Groups records by problem id (in first-seen order) and scores each group.</summary>
    public static List<MultiSampleResult> Aggregate(IEnumerable<ProblemRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var groups = new List<List<ProblemRecord>>();
        var byId = new Dictionary<string, List<ProblemRecord>>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (!byId.TryGetValue(r.Id, out var g)) groups.Add(byId[r.Id] = g = []);
            g.Add(r);
        }
        return groups.ConvertAll(Score);
    }

    /// <summary>An answer as a vote: two answers are the same vote when their operations are equal, in order.</summary>
    private readonly record struct Answer(IReadOnlyList<Apr.Countdown.Operation> Operations)
    {
        public bool Equals(Answer other) => Operations.SequenceEqual(other.Operations);
        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var o in Operations) hash.Add(o);
            return hash.ToHashCode();
        }
    }

    private static MultiSampleResult Score(List<ProblemRecord> samples)
    {
        samples.Sort((a, b) => a.Sample.CompareTo(b.Sample));
        var votes = new Dictionary<Answer, (int Votes, int First, ProblemRecord Record)>();
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples[i].Answer is not { } answer) continue;
            var key = new Answer(answer);
            votes[key] = votes.TryGetValue(key, out var v) ? (v.Votes + 1, v.First, v.Record) : (1, i, samples[i]);
        }
        var winner = votes.Values.OrderByDescending(v => v.Votes).ThenBy(v => v.First).Select(v => ((int, int, ProblemRecord)?)v).FirstOrDefault();
        return new MultiSampleResult(samples[0].Id, samples.Count, samples.Exists(s => s.Correct), winner?.Item3.Correct ?? false,
            winner?.Item3.Answer, winner?.Item1 ?? 0, samples.Sum(s => s.TotalTokens), samples.Max(s => s.SequentialTokens), samples.Max(s => s.LatencyMs ?? 0));
    }
}
