using System.CommandLine;

namespace Verify.Checker;

/// <summary>
/// Where a command writes, and the one place that turns exceptions into exit codes: bad input is a
/// message and exit 2, anything else is a bug in Verify (exit 70, stack trace only with --verbose).
/// </summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool terminal, Option<bool> verbose, bool errTerminal = false)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    /// <summary>stdout is an interactive terminal: use tables and colour.</summary>
    public bool Terminal { get; } = terminal;
    /// <summary>stderr is an interactive terminal: show live progress there.</summary>
    public bool ErrTerminal { get; } = errTerminal;

    public int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            Err.WriteLine("error: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            Err.WriteLine("internal error: " + e.Message);
            if (parse.GetValue(verbose)) Err.WriteLine(e.ToString());
            else Err.WriteLine("run with --verbose for the stack trace");
            return ExitCodes.Internal;
        }
    }
}
