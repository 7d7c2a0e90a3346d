// Cli: builds the command tree and runs it with apr's error policy: a bad option value or bad input
// file gets one line on stderr ("apr: error: ...") and a non-zero exit, never a stack trace.
using System.CommandLine;
using Apr.Data;
using Apr.Protocol;

namespace Apr.Cli;

public static class Cli
{
    /// <summary>Exit code for bad usage (unknown option, bad value).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a failure while running (bad input file, failed validation).</summary>
    public const int Failure = 1;

    public static RootCommand Build()
    {
        var root = new RootCommand("apr: Adaptive Parallel Reasoning on Countdown, in .NET.");
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SolveCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(RlCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
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
        catch (Exception e) when (e is DataException or ProtocolException or CliException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"apr: error: {e.Message}");
            return e is CliException ce ? ce.ExitCode : Failure;
        }
    }

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
public sealed class CliException(string message, int exitCode = Cli.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
