using System.CommandLine;
using Verify.Checker.Replay;

namespace Verify.Checker.Commands;

/// <summary><c>verify replay TRACE --semantics NAME [--spec FILE] [--json] [--verbose-events]</c>.</summary>
internal static class ReplayCommand
{
    public static Command Create(CliContext cli)
    {
        var trace = new Argument<string>("trace") { Description = "the trace file (.json, .yaml or .yml; other names are sniffed)" };
        var semantics = new Option<string?>("--semantics", "-s")
        {
            Description = "the semantics to replay under (see 'verify list'); required unless the trace has a top-level 'semantics' key",
        };
        var spec = new Option<string?>("--spec") { Description = "a spec file with the catalogue and slot count (docs/specs.md); default: built-in" };
        var json = new Option<bool>("--json") { Description = "print the stable JSON report instead of the table" };
        var verboseEvents = new Option<bool>("--verbose-events") { Description = "show every event, increfs included" };

        var command = new Command("replay", "Replay a trace on the model and show each step's events, outcome and observation")
        {
            trace, semantics, spec, json, verboseEvents,
        };
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            var setup = ReplaySetup.Load(parse.GetValue(trace)!, parse.GetValue(semantics), parse.GetValue(spec));
            var result = Replayer.Run(setup.Trace, setup.Actions, setup.Configuration);
            if (parse.GetValue(json)) cli.Out.Write(ReplayJson.Render(result, setup.Spec.Source));
            else if (cli.Terminal) ReplayTable.Render(result, setup.Spec.Source, cli.Out, parse.GetValue(verboseEvents));
            else ReplayText.Render(result, setup.Spec.Source, cli.Out, parse.GetValue(verboseEvents));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
