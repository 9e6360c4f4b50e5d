using Spectre.Console;
using Verify.Checker.Explore;

namespace Verify.Checker.Reports;

/// <summary>The console summary for a terminal: the same content as <see cref="CheckText"/>, as Spectre.Console tables in colour.</summary>
internal static class CheckTable
{
    private static IAnsiConsole Console(TextWriter w) => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(w) });

    public static void Header(CheckSettings s, TextWriter w)
    {
        var sw = new StringWriter();
        CheckText.Header(s, sw);
        Console(w).MarkupLine($"[bold]{Markup.Escape(sw.ToString().TrimEnd())}[/]");
    }

    public static void Run(SemanticsRun run, string outDir, TextWriter w)
    {
        var console = Console(w);
        var r = run.Result;
        var colour = r.ExitCode switch { ExitCodes.Violated => "red", ExitCodes.Incomplete => "yellow", _ => "green" };
        console.WriteLine();
        console.MarkupLine($"[bold]{Markup.Escape(run.Semantics.Name)}[/]: [{colour}]{Markup.Escape(CheckText.Headline(r))}[/]");

        var stats = new Grid().AddColumn(new GridColumn().PadRight(2)).AddColumn();
        foreach (var (label, value) in CheckText.StatLines(r))
            stats.AddRow(new Markup($"[grey]{label}[/]"), new Markup(Markup.Escape(value)));
        console.Write(stats);

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("verdict").NoWrap());
        table.AddColumn(new TableColumn("property").NoWrap());
        table.AddColumn(new TableColumn("length").RightAligned().NoWrap());
        var files = new List<string>();
        for (var k = 0; k < r.Verdicts.Count; k++)
        {
            var v = r.Verdicts[k];
            var word = Markup.Escape(CheckText.VerdictText(v.Verdict, r.Stats));
            var shown = v.Verdict switch
            {
                Verdict.Violated or Verdict.NeverWitnessed => $"[red bold]{word}[/]",
                Verdict.Incomplete => $"[yellow]{word}[/]",
                _ => $"[green]{word}[/]",
            };
            var has = CheckWords.HasTrace(v);
            table.AddRow(
                new Markup(shown),
                new Markup(Markup.Escape(v.Property.Name)),
                new Markup(has ? CheckWords.Steps(v.Trace!.Length) : ""));
            if (has && run.Saved[k] is { } f) files.Add(Path.Combine(outDir, f.Trace));
        }
        console.Write(table);
        // Paths below the table, unwrapped (not through Spectre): broken mid-name they could not be copied.
        foreach (var f in files) w.WriteLine($"trace: {f}");
    }

    public static void Footer(CheckOutcome outcome, string outDir, TextWriter w)
    {
        var sw = new StringWriter();
        CheckText.Footer(outcome, outDir, sw);
        var lines = sw.ToString().TrimEnd().Split('\n');
        var console = Console(w);
        foreach (var line in lines[..^1]) w.WriteLine(line.TrimEnd('\r')); // holds paths: unwrapped
        var colour = outcome.ExitCode switch { ExitCodes.Violated => "red", ExitCodes.Incomplete => "yellow", _ => "green" };
        console.MarkupLine($"[bold {colour}]{Markup.Escape(lines[^1])}[/]");
    }
}
