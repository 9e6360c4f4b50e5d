using System.CommandLine;

namespace Verify.Checker;

/// <summary>
/// Where a command writes, and the one place that turns exceptions into exit codes: bad input is a
/// message and exit 2, anything else is a bug in Verify (exit 70, stack trace only with --verbose).
/// </summary>
/// <param name="cancel">stops long commands as a signal does (tests interrupt runs with it); default: never</param>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool terminal, Option<bool> verbose, bool errTerminal = false,
    CancellationToken cancel = default)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    /// <summary>stdout is an interactive terminal: use tables and colour.</summary>
    public bool Terminal { get; } = terminal;
    /// <summary>stderr is an interactive terminal: show live progress there.</summary>
    public bool ErrTerminal { get; } = errTerminal;

    /// <summary>
    /// The one seam through which long commands (check, random, conform, bench) are interrupted: SIGINT, SIGTERM
    /// or the caller's token. Dispose it when the command's long part is over.
    /// </summary>
    public Interruption Interruptible() => new(cancel);

    /// <summary>
    /// A message on one line, whatever it quotes (another program's stderr, a file's text), so that a script reading
    /// stderr line by line gets one error per line.
    /// </summary>
    public static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            Err.WriteLine("error: " + OneLine(e.Message));
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
