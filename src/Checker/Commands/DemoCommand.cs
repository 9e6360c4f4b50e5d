using System.CommandLine;
using Verify.Checker.Replay;
using Verify.Checker.Specs;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify demo</c>: the built-in D2 rename trace under every semantics, answering the question the
/// project starts from in one screen: does a subinterpreter decref or free an object main owns?
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("demo", "Replay the built-in D2 rename trace (semantics document 3.1) under every semantics");
        command.SetAction(parse => cli.Guard(parse, () => Run(cli)));
        return command;
    }

    public static int Run(CliContext cli)
    {
        var w = cli.Out;
        var trace = BuiltinTraces.D2Rename();
        w.WriteLine("D2 rename (semantics document 3.1): main imports _testsinglephase; sub1 (legacy) is created;");
        w.WriteLine("sub1 imports _testsinglephase_basic_wrapper, the same def under another name.");
        foreach (var semantics in SemanticsRegistry.All)
        {
            var setup = ReplaySetup.For(trace, semantics, SpecFile.Default());
            var r = Replayer.Run(setup.Trace, setup.Actions, setup.Configuration);
            var drops = r.Steps
                .SelectMany(s => s.Transition.Events.Where(NotableEvents.IsSubinterpreterDropOfMain).Select(e => (s.Number, Event: (RefEvent)e)))
                .ToList();
            w.WriteLine();
            w.WriteLine($"{semantics.Name}: {(drops.Count > 0 ? "YES, a subinterpreter decref'd or freed an object owned by main" : "no subinterpreter decref'd or freed an object owned by main")}");
            foreach (var (step, e) in drops)
                w.WriteLine($"    step {step}: {EventText.Describe(e, r.Catalogue)}");
            foreach (var s in r.Steps)
                w.WriteLine($"  step {s.Number}: {ActionText.Describe(s.Transition.Action, r.Catalogue)} -> {s.Transition.Outcome}");
            w.WriteLine($"  predicted exit: {ReplayText.ExitSummary(r)}");
        }
        w.WriteLine();
        w.WriteLine("Details: verify replay specs/traces/d2-rename.yaml --semantics NAME; commands: verify --help");
        return ExitCodes.Ok;
    }
}
