// ValidateCommand: `apr data validate FILE`: replays every trace (ours or the reference's format)
// with the protocol validator and checks that the record's own fields (problem, solved, answer) agree
// with the trace (RecordConsistency.Validate); a line that is not a record fails with its file:line and
// the check goes on; prints how many passed and the first failures with their reason; exits non-zero
// if any failed. A pipe (/dev/stdin) is read once.
using System.CommandLine;
using Apr.Data;
using Apr.Protocol;

namespace Apr.Cli;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = Options.ExistingFileArgument("file", "traces JSONL (apr's format or the Python reference's)");
        var show = Options.Int("--show", "how many failures to print", 10, 0, 10_000);
        var depth = Options.Int("--depth", "apr nesting depth allowed to records that do not say theirs (a record's own 'depth' field, written by `data traces --depth`, is always allowed)", 1, 1, 5);
        var cmd = new Command("validate", "Replay every trace with the validator: arithmetic, node ids, child prompts, join blocks, recaps, answers.")
        {
            file, show, depth,
        };
        cmd.SetAction(r =>
        {
            var path = r.GetValue(file)!.FullName;
            var output = r.InvocationConfiguration.Output;
            var total = JsonLines.CountLines(path) ?? 0; // a pipe is read once: no total for the progress bar
            var options = ValidationOptions.Default with { AprMaxDepth = r.GetValue(depth) };
            var failures = new List<string>();
            int passed = 0, failed = 0, solved = 0;
            Progress.Run("validating", total, r.InvocationConfiguration.Error, report =>
            {
                foreach (var (record, error) in TraceFile.ReadEach(path))
                {
                    var (result, failure) = record is null ? (null, error) : RecordConsistency.Validate(record, options);
                    if (failure is null)
                    {
                        passed++;
                        solved += result!.Solved ? 1 : 0;
                    }
                    else
                    {
                        failed++;
                        failures.Add(record is null ? failure : $"{record.Id}: {failure}");
                    }
                    if ((passed + failed) % 100 == 0) report(passed + failed);
                }
                return 0;
            });
            output.WriteLine($"{passed} passed, {failed} failed ({solved} solved, answers verified) in {path}");
            foreach (var f in failures.Take(r.GetValue(show))) output.WriteLine($"  {f}");
            if (failures.Count > r.GetValue(show)) output.WriteLine($"  ... and {failures.Count - r.GetValue(show)} more");
            return failed == 0 ? 0 : Cli.Failure;
        });
        return cmd;
    }
}
