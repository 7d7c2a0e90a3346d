// ViewCommand: `apr view FILE.jsonl [FILE.jsonl ...] [--out FILE.html]`: records of `apr eval` (records/*.jsonl)
// or `apr solve --json` into one self-contained HTML file (Apr.Viewing.ViewPage): a filtered problem list
// with aggregate cards and the thread view of any problem; it opens offline. Wiring only. Chosen tokens are
// marked with the default trace vocabulary (the shipped models'), checked against each record's counts.
using System.CommandLine;
using Apr.Tokenization;
using Apr.Viewing;

namespace Apr.Cli;

internal static class ViewCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "JSONL records of apr eval (records/*.jsonl) or apr solve --json; each file's name is its condition", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "the HTML file to write (default: the first file with .html)" };
        var cmd = new Command("view", "Write one self-contained HTML file (opens offline) showing records: a filtered problem list, aggregate cards, and each problem's spawn/join tree, timeline and thread texts.")
        {
            files, output,
        };
        cmd.SetAction(r =>
        {
            var inputs = r.GetValue(files)!;
            var target = r.GetValue(output) ?? Path.ChangeExtension(inputs[0], ".html");
            if (inputs.Any(i => Path.GetFullPath(i) == Path.GetFullPath(target)))
                throw new CliException($"--out {target} is one of the inputs: choose another file", Cli.UsageError);
            int count = ViewPage.Write(inputs, target, TraceTokenizer.Default);
            r.InvocationConfiguration.Output.WriteLine($"apr view: {count} record(s) from {inputs.Length} file(s) -> {target} (open it in a browser; it needs no network)");
            return 0;
        });
        return cmd;
    }
}
