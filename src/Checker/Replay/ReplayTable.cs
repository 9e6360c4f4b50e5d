using Spectre.Console;
using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>The human report for a terminal: a Spectre.Console table, one row per step, foreign drops in red.</summary>
internal static class ReplayTable
{
    public static void Render(ReplayResult r, string spec, TextWriter w, bool verboseEvents)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w) });
        var cat = r.Catalogue;
        console.MarkupLine($"[bold]replay[/] {Markup.Escape(r.Trace.Source)} under [bold]{Markup.Escape(r.Configuration.Semantics.Name)}[/] " +
                           $"(catalogue: {Markup.Escape(spec)}, {r.Configuration.Slots} subinterpreter slots)");
        if (r.Trace.Description is { } d) console.MarkupLine($"[grey]{Markup.Escape(d.Trim())}[/]");

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumn(new TableColumn("#").RightAligned());
        // Narrow fixed columns leave the width to the events, the long part of each row.
        table.AddColumn(new TableColumn("step").Width(28));
        table.AddColumn(new TableColumn("outcome").Width(16));
        table.AddColumn("events and observation");
        foreach (var s in r.Steps)
        {
            var lines = new List<string>();
            if (s.Transition.Outcome.Message is { } why && s.Transition.Outcome.Kind != OutcomeKind.NotRun)
                lines.Add($"[bold]{Markup.Escape(why)}[/]");
            lines.AddRange(s.Transition.Events.Where(e => NotableEvents.IsNotable(e, verboseEvents))
                .Select(e => Colour(e, Markup.Escape(EventText.Describe(e, cat)))));
            // After a crash there is no process left to observe (the model's state still holds the whole step).
            if (s.Transition.Outcome.Kind is OutcomeKind.Ok or OutcomeKind.ImportError)
                lines.AddRange(ObservationText.Lines(s.Observation).Select(l => $"[grey]{Markup.Escape(l)}[/]"));
            table.AddRow(
                new Markup(s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Markup(Markup.Escape(ActionText.Describe(s.Transition.Action, cat))),
                new Markup(Outcome(s.Transition.Outcome, s.Observation.Signal)),
                new Markup(lines.Count == 0 ? "" : string.Join("\n", lines)));
        }
        console.Write(table);

        var atExit = r.ExitEvents.Where(e => NotableEvents.IsNotable(e, verboseEvents)).ToList();
        if (atExit.Count > 0)
        {
            console.MarkupLine("[bold]at exit[/] (implicit Py_Finalize):");
            foreach (var e in atExit) console.MarkupLine("  " + Colour(e, Markup.Escape(EventText.Describe(e, cat))));
        }
        var summary = Markup.Escape(ReplayText.ExitSummary(r));
        console.MarkupLine("[bold]predicted exit:[/] " + (r.ExitCode == 0 ? $"[green]{summary}[/]" : $"[red]{summary}[/]"));
    }

    private static string Colour(Event e, string text) => e switch
    {
        RefEvent { IsForeign: true } => $"[red]{text}[/]",
        RefEvent { Op: RefOp.Free } => $"[yellow]{text}[/]",
        ImportFailed => $"[magenta]{text}[/]",
        _ => text,
    };

    /// <summary>The outcome in a word (its message goes in the events column).</summary>
    private static string Outcome(Outcome o, string? signal) => o.Kind switch
    {
        OutcomeKind.Ok => "[green]ok[/]",
        OutcomeKind.Crash => $"[red bold]crash ({signal})[/]",
        OutcomeKind.ImportError => "[magenta]ImportError[/]",
        _ => "[grey]not run[/]",
    };
}
