// Cli: builds the command tree and runs it with apr's error policy: a bad option value or bad input
// file gets one line on stderr ("apr: error: ...") and a non-zero exit, never a stack trace. Exit codes:
// 0 done; 1 a failure while running (bad or unreadable input, a locked directory; `solve`: no answer);
// 2 bad usage (an option out of range, a plan over the memory budget, an output that would overwrite an
// input or another run); 70 a bug: an unexpected exception, printed with its stack trace and a request to
// report it.
using System.CommandLine;
using System.Text.Json;
using Apr.Data;
using Apr.Inference;
using Apr.Model;
using Apr.Protocol;
using Apr.Training;

namespace Apr.Cli;

internal static class Cli
{
    /// <summary>Exit code for bad usage (unknown option, bad value).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a failure while running (bad input file, failed validation).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a bug: an exception apr did not expect (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    public static RootCommand Build()
    {
        var root = new RootCommand("apr: Adaptive Parallel Reasoning on Countdown, in .NET.");
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RlCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ViewCommand.Create());
        Options.RequireFiniteNumbers(root);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line: the first error, and where to read the usage.
            stderr.WriteLine($"apr: error: {OneLine(parsed.Errors[0].Message)} (see '{CommandPath(parsed)} --help')");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return ReportFailure(e, stderr);
        }
    }

    /// <summary>
    /// Writes what went wrong and returns the exit code: an expected failure (bad input, I/O, a locked or
    /// existing run, a plan over the memory budget) as one line "apr: error: ..."; anything else is a bug:
    /// its stack trace and a line asking to report it, exit code <see cref="InternalError"/>.
    /// </summary>
    public static int ReportFailure(Exception e, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(stderr);
        var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        if (ExitCodeOf(inner) is not { } code)
        {
            stderr.WriteLine($"apr: internal error: {inner}");
            stderr.WriteLine("apr: this is a bug in apr; please report it with the command line and the lines above");
            return InternalError;
        }
        stderr.WriteLine($"apr: error: {OneLine(MessageOf(inner))}");
        return code;
    }

    /// <summary>What to tell the user: the exception's message, or for a library refusal the CLI's own words (its flags).</summary>
    private static string MessageOf(Exception e) => e switch
    {
        RunDirectoryException { Refusal: RunDirectoryRefusal.ExistingRun } r =>
            $"{r.Directory} already holds a run ({r.Contents}): pass --resume to continue it, --force to start over (deletes {r.Contents}), or choose another --out",
        RunDirectoryException r => $"{r.Directory} holds files apr did not write ({r.Contents}): left in place; move them, or choose another --out",
        _ => e.Message,
    };

    /// <summary>The exit code of an expected failure, or null for a bug.</summary>
    private static int? ExitCodeOf(Exception e) => e switch
    {
        CliException c => c.ExitCode,
        InferenceSetupException s => s.BadSetting ? UsageError : Failure,
        MemoryBudgetException or RunDirectoryException => UsageError,
        DataException or ProtocolException or IOException or UnauthorizedAccessException or InvalidDataException or JsonException or FormatException => Failure,
        _ => null,
    };

    /// <summary>Some parser messages list choices on indented lines; fold them into one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(r.Command is RootCommand ? "apr" : r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}

/// <summary>A failure the CLI reports as one line, with its exit code.</summary>
internal sealed class CliException(string message, int exitCode = Cli.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
