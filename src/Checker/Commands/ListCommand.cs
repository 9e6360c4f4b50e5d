using System.CommandLine;
using Verify.Checker.Reports;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Commands;

/// <summary><c>verify list</c>: the semantics Verify knows, the properties it checks and the modules of the built-in catalogue.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("list", "List the semantics, the properties and the modules of the built-in catalogue");
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            Write(cli.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Semantics(Semantics s, TextWriter w)
    {
        var aliases = s.Aliases.Count > 0 ? $" (also {string.Join(", ", s.Aliases)})" : "";
        w.WriteLine($"  {s.Name}{aliases}");
        w.WriteLine($"      {s.Summary}");
    }

    public static void Write(TextWriter w)
    {
        w.WriteLine("semantics (CPython releases):");
        foreach (var s in SemanticsRegistry.Releases) Semantics(s, w);
        w.WriteLine();
        w.WriteLine("semantics (fix strategies, docs/strategies.md; verify compare puts them side by side):");
        foreach (var s in SemanticsRegistry.Strategies) Semantics(s, w);
        w.WriteLine();
        w.WriteLine("properties (always: checked in every reachable state and transition; sometimes: some reachable state must show it):");
        var nameWidth = IsolationProperties.All.Max(p => p.Name.Length);
        foreach (var p in IsolationProperties.All)
            w.WriteLine($"  {p.Name.PadRight(nameWidth)}  {(p.Kind == PropertyKind.Always ? "always" : "sometimes"),-9}  {p.Statement}");
        w.WriteLine();
        w.WriteLine("modules of the built-in catalogue:");
        var cat = DefaultCatalogue.Create();
        string[] header = ["name", "def", "style", "m_size", "origin", "key"];
        var rows = cat.Modules.Select(m =>
        {
            var d = cat.Defs[m.Def];
            return (IReadOnlyList<string>)[m.Name, d.Name, Style(d.Style), d.MSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Origin(m.Origin), m.Key];
        });
        TextTable.Write([header, .. rows], w, indent: "  ");
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
