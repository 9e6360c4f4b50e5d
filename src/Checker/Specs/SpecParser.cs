using Verify.Checker.Documents;
using Verify.Checker.Text;
using Verify.Model;

namespace Verify.Checker.Specs;

/// <summary>
/// Reads a spec file (docs/specs.md): top-level <c>slots</c> and an optional <c>catalogue</c> of C-globals
/// groups, defs and modules, cross-referenced by name. Without a catalogue section the built-in one is used.
/// </summary>
internal static class SpecParser
{
    private static readonly string[] TopKeys = ["catalogue", "slots", "description"];
    private static readonly string[] CatalogueKeys = ["globals", "defs", "modules"];
    private static readonly string[] DefKeys = ["name", "style", "m_size", "globals", "per_interpreter_gil", "values"];
    private static readonly string[] ModuleKeys = ["name", "def", "origin", "path"];

    private static readonly string[] Styles = ["single-phase", "multi-phase", "opt-out", "core"];
    private static readonly string[] Origins = ["dynamic", "builtin", "core"];
    private static readonly string[] Values = ["list", "type", "func"];

    public static SpecFile ParseFile(string path) => Parse(DocReader.ReadFile(path), path);

    public static SpecFile ParseText(string text, string name) => Parse(DocReader.Read(text, name), name);

    public static SpecFile Parse(DocNode root, string file)
    {
        var top = new DocFields(root, file, "the spec", TopKeys);
        var slots = top.OptionalInt("slots");
        if (slots is < 1)
            throw new InputException($"{SourceLocation.At(file, top.Node("slots"))}: 'slots' is the number of subinterpreter slots and must be at least 1, not {slots}");
        var cat = top.Node("catalogue") is { } c ? ParseCatalogue(c, file) : DefaultCatalogue.Create();
        return new SpecFile(file, cat, slots ?? SpecFile.DefaultSlots, slots is not null);
    }

    private static Catalogue ParseCatalogue(DocNode node, string file)
    {
        var f = new DocFields(node, file, "the catalogue", CatalogueKeys);
        var globalNodes = f.List("globals");
        var globals = globalNodes.Select(g => f.AsString(g, "globals")).ToList();
        foreach (var dup in globalNodes.Where((g, k) => globals.IndexOf(((DocScalar)g).Text) != k))
            throw new InputException($"{SourceLocation.At(file, dup)}: the C-globals group '{((DocScalar)dup).Text}' is declared twice");

        var defNodes = f.List("defs");
        var defs = defNodes.Select(d => ParseDef(d, file, globals)).ToList();
        var defNames = defs.Select(d => d.Name).ToList();
        for (var k = 0; k < defs.Count; k++)
            if (defNames.IndexOf(defs[k].Name) != k)
                throw new InputException($"{SourceLocation.At(file, defNodes[k])}: the def '{defs[k].Name}' is declared twice");

        var modules = f.List("modules").Select(m => ParseModule(m, file, defNames)).ToList();
        try
        {
            return new Catalogue(defs, modules, globals);
        }
        catch (CatalogueException e)
        {
            throw new InputException($"{SourceLocation.At(file, node)}: the catalogue is inconsistent: {e.Message}");
        }
    }

    private static DefSpec ParseDef(DocNode node, string file, List<string> globals)
    {
        var name = node is DocMap m && m.Get("name") is DocScalar { Kind: ScalarKind.String } n ? n.Text : "?";
        var f = new DocFields(node, file, $"def '{name}'", DefKeys);
        name = f.String("name");
        var style = f.Choice("style", Styles) switch
        {
            "single-phase" => InitStyle.SinglePhase,
            "multi-phase" => InitStyle.MultiPhase,
            "opt-out" => InitStyle.OptOut,
            _ => InitStyle.Core,
        };
        var mSize = f.Int("m_size");
        var group = f.String("globals");
        var gi = globals.IndexOf(group);
        if (gi < 0)
            throw new InputException($"{SourceLocation.At(file, f.Node("globals"))}: def '{name}' names the C-globals group '{group}', which 'globals' does not declare.{Suggestions.DidYouMean(group, globals)} Declared groups: {Suggestions.List(globals)}");
        var values = ValueSet.None;
        var valueNodes = f.Node("values") is null ? null : f.List("values");
        if (valueNodes is null)
            values = style == InitStyle.Core ? ValueSet.Func : ValueSet.All; // what the built-in catalogue uses
        else
            foreach (var v in valueNodes)
            {
                var s = f.AsString(v, "values");
                values |= s switch
                {
                    "list" => ValueSet.List,
                    "type" => ValueSet.Type,
                    "func" => ValueSet.Func,
                    _ => throw new InputException($"{SourceLocation.At(file, v)}: unknown value kind '{s}' in def '{name}'.{Suggestions.DidYouMean(s, Values)} Valid kinds: {Suggestions.List(Values)}"),
                };
            }
        return new DefSpec(name, style, mSize, gi, f.OptionalBool("per_interpreter_gil") ?? false, values);
    }

    private static ModuleSpec ParseModule(DocNode node, string file, List<string> defNames)
    {
        var name = node is DocMap m && m.Get("name") is DocScalar { Kind: ScalarKind.String } n ? n.Text : "?";
        var f = new DocFields(node, file, $"module '{name}'", ModuleKeys);
        name = f.String("name");
        var def = f.String("def");
        var di = defNames.IndexOf(def);
        if (di < 0)
            throw new InputException($"{SourceLocation.At(file, f.Node("def"))}: module '{name}' names the def '{def}', which 'defs' does not declare.{Suggestions.DidYouMean(def, defNames)} Declared defs: {Suggestions.List(defNames)}");
        var origin = f.Choice("origin", Origins) switch
        {
            "dynamic" => Origin.Dynamic,
            "builtin" => Origin.Builtin,
            _ => Origin.Core,
        };
        return new ModuleSpec(name, di, origin, f.OptionalString("path"));
    }
}
