// EvalRun: runs a plan's conditions in order on one Evaluator, writes each condition's per-problem
// records (records/<name>.jsonl, as `apr solve --json`) as soon as it finishes, and rewrites the summary,
// report and plots after each, so an interrupted evaluation keeps every finished condition (the report
// says how many of the planned ones it holds). With resume, a condition whose records file is complete is
// read back (RecordReader) instead of run again.
using System.Text;
using Apr.Core;
using Apr.Countdown;
using Apr.Data;
using Apr.Inference;

namespace Apr.Evaluation;

public static class EvalRun
{
    /// <summary>
    /// Runs <paramref name="plan"/>. <paramref name="onProgress"/> gets the samples finished so far over
    /// the whole plan (out of <see cref="SampleCount"/>) as samples finish.
    /// </summary>
    public static List<(ConditionSummary Summary, EvalSweeps Sweeps)> Execute(Evaluator evaluator, IReadOnlyList<PlannedCondition> plan,
        IReadOnlyList<CountdownProblem> problems, string outDir, EvalRunInfo info, IReadOnlyList<int> contexts, bool traces = false,
        Action<long>? onProgress = null, bool resume = false)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(problems);
        Directory.CreateDirectory(Path.Combine(outDir, "records"));
        var results = new List<(ConditionSummary, EvalSweeps)>();
        long done = 0;
        for (int i = 0; i < plan.Count; i++)
        {
            var (condition, sweeps) = (plan[i].Condition, plan[i].Sweeps);
            var path = Path.Combine(outDir, "records", condition.Name + ".jsonl");
            var expected = (int)condition.SampleCount(problems.Count);
            var result = resume ? RecordReader.TryRead(path, condition, expected) : null;
            if (result is not null) onProgress?.Invoke(done += expected);
            else
            {
                result = evaluator.Run(condition, problems, _ => onProgress?.Invoke(++done));
                WriteRecords(path, result, traces);
            }
            results.Add((ConditionSummary.Of(result, contexts, sweeps.HasFlag(EvalSweeps.Budget) ? info.Budgets : null, sweeps.HasFlag(EvalSweeps.Budget) ? info.SequentialCaps : null), sweeps));
            EvalReport.Write(outDir, info with { Planned = plan.Count }, results, info.ReferenceContext, plots: i == plan.Count - 1 || results.Count % 4 == 0);
        }
        return results;
    }

    /// <summary>Samples the whole plan produces over <paramref name="problems"/> problems.</summary>
    public static long SampleCount(IReadOnlyList<PlannedCondition> plan, int problems) => plan.Sum(p => p.Condition.SampleCount(problems));

    private static void WriteRecords(string path, ConditionResult result, bool traces)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            foreach (var r in result.Records) w.Write(ProblemRecordJson.ToJsonLine(r, traces, tokens: traces) + "\n");
        });
    }
}
