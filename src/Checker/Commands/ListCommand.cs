using System.CommandLine;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary><c>verify list</c>: the semantics Verify knows and the modules of the built-in catalogue.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("list", "List the semantics and the modules of the built-in catalogue");
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            Write(cli.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static void Write(TextWriter w)
    {
        w.WriteLine("semantics:");
        foreach (var s in SemanticsRegistry.All)
        {
            var aliases = s.Aliases.Count > 0 ? $" (also {string.Join(", ", s.Aliases)})" : "";
            w.WriteLine($"  {s.Name}{aliases}");
            w.WriteLine($"      {s.Summary}");
        }
        w.WriteLine();
        w.WriteLine("modules of the built-in catalogue:");
        var cat = DefaultCatalogue.Create();
        string[] header = ["name", "def", "style", "m_size", "origin", "key"];
        var rows = cat.Modules.Select(m =>
        {
            var d = cat.Defs[m.Def];
            return new[] { m.Name, d.Name, Style(d.Style), d.MSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Origin(m.Origin), m.Key };
        }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        string Line(string[] cells) => "  " + string.Join("  ", cells.Select((c, k) => c.PadRight(widths[k]))).TrimEnd();
        w.WriteLine(Line(header));
        foreach (var r in rows) w.WriteLine(Line(r));
    }

    /// <summary>The spec-file spelling of a style (docs/specs.md).</summary>
    public static string Style(InitStyle s) => s switch
    {
        InitStyle.SinglePhase => "single-phase",
        InitStyle.MultiPhase => "multi-phase",
        InitStyle.OptOut => "opt-out",
        _ => "core",
    };

    public static string Origin(Origin o) => o.ToString().ToLowerInvariant();
}
