using System.CommandLine;
using Verify.Checker.Commands;
using Verify.Checker.Explore;

namespace Verify.Checker;

/// <summary>
/// The <c>verify</c> command line. <see cref="Run"/> takes its writers as arguments so that tests run the
/// real CLI in-process and read what it printed and the exit code it returned.
/// </summary>
internal static class Cli
{
    /// <param name="terminal">stdout is a terminal: tables and colour</param>
    /// <param name="errTerminal">stderr is a terminal: live progress of long searches</param>
    /// <param name="search">the search <c>verify check</c> runs (default: <see cref="Explorer.Run"/>)</param>
    /// <param name="cancel">interrupts a long command as Ctrl-C or SIGTERM does (for tests)</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool terminal = false, bool errTerminal = false,
        CheckCommand.Search? search = null, CancellationToken cancel = default)
    {
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "on an internal error, print the stack trace",
            Recursive = true,
        };
        var cli = new CliContext(stdout, stderr, terminal, verbose, errTerminal, cancel);
        var root = new RootCommand("Verify: a model checker for how CPython isolates legacy single-phase extension modules between interpreters.\n" +
                                   "Without a command: 'verify compare' on the built-in default spec (specs/default.yaml).")
        {
            verbose,
            ReplayCommand.Create(cli),
            CheckCommand.Create(cli, search ?? Explorer.Run),
            CompareCommand.Create(cli, search ?? Explorer.Run),
            RandomCommand.Create(cli),
            BenchCommand.Create(cli),
            ListCommand.Create(cli),
            DemoCommand.Create(cli),
            ConformCommand.Create(cli),
        };
        // The main job: every CPython release and fix strategy against every property on the default spec's bounds.
        root.SetAction(_ => Run(["compare"], stdout, stderr, terminal, errTerminal, search, cancel));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine would exit 1 after printing help; a usage error is bad input like any other.
            foreach (var e in parse.Errors) stderr.WriteLine("error: " + e.Message);
            stderr.WriteLine("run 'verify --help' (or 'verify COMMAND --help') for usage");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
        });
    }
}
