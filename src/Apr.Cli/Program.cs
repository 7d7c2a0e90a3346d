// apr: the command line. Wiring only: parse options, call the libraries, render progress and results.
using Apr.Cli;

return Cli.Run(args, Console.Out, Console.Error);
