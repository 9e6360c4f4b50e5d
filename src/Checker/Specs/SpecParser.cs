using Verify.Checker.Documents;
using Verify.Checker.Text;
using Verify.Checker.Traces;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Specs;

/// <summary>
/// Reads a spec file (docs/specs.md): the subinterpreter slots (<c>slots: N</c>, or <c>interpreters</c> with
/// the modes of each slot), the <c>semantics</c> and <c>properties</c> a check covers, an optional <c>depth</c>,
/// and an optional <c>catalogue</c> of C-globals groups, defs and modules, cross-referenced by name. Without a
/// catalogue section the built-in one is used.
/// </summary>
internal static class SpecParser
{
    private static readonly string[] TopKeys = ["description", "slots", "interpreters", "semantics", "properties", "depth", "modules", "operations", "random", "catalogue"];
    private static readonly string[] RandomKeys = ["runs", "length", "swarm", "weights"];
    private static readonly string[] CatalogueKeys = ["globals", "defs", "modules"];
    private static readonly string[] DefKeys = ["name", "style", "m_size", "globals", "per_interpreter_gil", "values"];
    private static readonly string[] ModuleKeys = ["name", "def", "origin", "path"];

    private static readonly string[] Styles = ["single-phase", "multi-phase", "opt-out", "core"];
    private static readonly string[] Origins = ["dynamic", "builtin", "core"];
    private static readonly string[] Values = ["list", "type", "func"];

    public static SpecFile ParseFile(string path) => Parse(DocReader.ReadFile(path), path) with { FilePath = path };

    public static SpecFile ParseText(string text, string name) => Parse(DocReader.Read(text, name), name);

    public static SpecFile Parse(DocNode root, string file)
    {
        var top = new DocFields(root, file, "the spec", TopKeys);
        var kinds = ParseSlots(top, file);
        var cat = top.Node("catalogue") is { } c ? ParseCatalogue(c, file) : DefaultCatalogue.Create();
        if (top.Node("modules") is { } mods) cat = cat.Restrict(ParseModuleSet(mods, file, cat));
        return new SpecFile(file, cat, kinds ?? Enumerable.Repeat(SlotKind.Any, SpecFile.DefaultSlots).ToList(), kinds is not null)
        {
            Semantics = top.Node("semantics") is { } s ? ParseSemantics(s, file) : SemanticsRegistry.All,
            Properties = top.Node("properties") is { } p ? ParseProperties(p, file) : IsolationProperties.All,
            Depth = top.Node("depth") is { } d ? ParseDepth(d, file) : null,
            Operations = top.Node("operations") is { } ops ? ParseOperations(ops, file) : null,
            Description = top.OptionalString("description"),
            Random = top.Node("random") is { } r ? ParseRandom(r, file) : RandomSpec.Default,
        };
    }

    /// <summary><c>random</c>: what <c>verify random</c> does by default with this spec (its options win).</summary>
    private static RandomSpec ParseRandom(DocNode node, string file)
    {
        var f = new DocFields(node, file, "'random' of the spec", RandomKeys);
        var runs = f.OptionalInt("runs");
        if (runs is < 1)
            throw new InputException($"{SourceLocation.At(file, f.Node("runs"))}: 'runs' of 'random' must be a positive number of runs, not {runs}");
        var length = f.OptionalInt("length");
        if (length is < 1)
            throw new InputException($"{SourceLocation.At(file, f.Node("length"))}: 'length' of 'random' must be a positive number of steps, not {length}");
        var weights = Random.ActionWeights.Default;
        if (f.Node("weights") is { } w)
        {
            if (w is not DocMap map)
                throw new InputException($"{SourceLocation.At(file, w)}: 'weights' of 'random' must map op names to weights, such as {{import: 4, finalize: 0.5}}, not {w.Describe()}");
            var changes = new List<KeyValuePair<string, double>>();
            foreach (var (key, value) in map.Entries)
            {
                if (!Configuration.AllOperations.Contains(key.Text))
                    throw new InputException($"{SourceLocation.At(file, key)}: 'weights' of 'random' names '{key.Text}', which is not an op.{Suggestions.DidYouMean(key.Text, Configuration.AllOperations)} " +
                                             $"Ops: {Suggestions.List(Configuration.AllOperations)}");
                if (value is not DocScalar { Kind: ScalarKind.Integer or ScalarKind.Float } number
                    || !double.TryParse(number.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight)
                    || !(weight >= 0 && double.IsFinite(weight)))
                    throw new InputException($"{SourceLocation.At(file, value)}: the weight of '{key.Text}' must be a number of 0 or more (0 leaves the op out), not {value.Describe()}");
                changes.Add(new(key.Text, weight));
            }
            weights = weights.With(changes);
        }
        return new RandomSpec(weights, f.OptionalBool("swarm") ?? true, runs, length);
    }

    /// <summary><c>slots: N</c> (N slots of any mode) or <c>interpreters</c> (one entry per slot); null if neither.</summary>
    private static List<SlotKind>? ParseSlots(DocFields top, string file)
    {
        var slots = top.OptionalInt("slots");
        if (slots is < 1 or > SpecFile.MaxSlots)
            throw new InputException($"{SourceLocation.At(file, top.Node("slots"))}: 'slots' is the number of subinterpreter slots and must be at least 1 and at most {SpecFile.MaxSlots}, not {slots}");
        if (top.Node("interpreters") is not { } node)
            return slots is { } n ? Enumerable.Repeat(SlotKind.Any, n).ToList() : null;
        if (slots is not null)
            throw new InputException($"{SourceLocation.At(file, top.Node("slots"))}: 'slots' and 'interpreters' both give the subinterpreter slots: " +
                                     "keep 'interpreters' (one entry per slot, with its modes) or 'slots: N' (N slots of any mode), not both");
        if (node is not DocSeq seq)
            throw new InputException($"{SourceLocation.At(file, node)}: 'interpreters' of the spec must be a list with one entry per subinterpreter slot, " +
                                     $"such as [legacy, [isolated, isolated-override]], not {node.Describe()}. For N slots of any mode write 'slots: N'");
        if (seq.Items.Count == 0)
            throw new InputException($"{SourceLocation.At(file, node)}: 'interpreters' of the spec lists no slot: give at least one entry, such as [legacy]");
        if (seq.Items.Count > SpecFile.MaxSlots)
            throw new InputException($"{SourceLocation.At(file, node)}: 'interpreters' of the spec lists {seq.Items.Count} slots; Verify models at most {SpecFile.MaxSlots}");
        return seq.Items.Select((item, k) => ParseSlotKind(item, k + 1, file)).ToList();
    }

    private static readonly string[] SlotWords = [.. ActionText.SubinterpreterModes.Select(ActionText.Mode), "any"];

    private static SlotKind ParseSlotKind(DocNode node, int slot, string file)
    {
        var what = $"slot {slot} of 'interpreters'";
        var expected = $"{Suggestions.List(SlotWords)}, or a list of modes such as [isolated, isolated-override]";
        switch (node)
        {
            case DocScalar { Kind: ScalarKind.String } s:
                if (s.Text == "any") return SlotKind.Any;
                if (ActionText.ParseMode(s.Text) is { } single) return SlotKind.Of(single);
                throw new InputException($"{SourceLocation.At(file, s)}: {what} is '{s.Text}'.{Suggestions.DidYouMean(s.Text, SlotWords)} Valid entries: {expected}");
            case DocSeq list:
                if (list.Items.Count == 0)
                    throw new InputException($"{SourceLocation.At(file, list)}: {what} is an empty list: name the modes the slot may be created in, such as [isolated, isolated-override], or write 'any'");
                var modes = new List<InterpKind>();
                foreach (var item in list.Items)
                {
                    if (item is not DocScalar { Kind: ScalarKind.String } m)
                        throw new InputException($"{SourceLocation.At(file, item)}: {what} lists {item.Describe()}: a list names modes: {Suggestions.List(TraceOps.Modes)}");
                    if (m.Text == "any")
                        throw new InputException($"{SourceLocation.At(file, m)}: {what} lists 'any' among modes: write 'any' alone (not in a list) for a slot of any mode");
                    var mode = ActionText.ParseMode(m.Text)
                        ?? throw new InputException($"{SourceLocation.At(file, m)}: {what} lists '{m.Text}'.{Suggestions.DidYouMean(m.Text, TraceOps.Modes)} Modes: {Suggestions.List(TraceOps.Modes)}");
                    if (modes.Contains(mode))
                        throw new InputException($"{SourceLocation.At(file, m)}: {what} lists '{m.Text}' twice: name each mode once");
                    modes.Add(mode);
                }
                return SlotKind.Of([.. modes]);
            default:
                throw new InputException($"{SourceLocation.At(file, node)}: {what} must be a mode or a list of modes ({expected}), not {node.Describe()}");
        }
    }

    private static List<Semantics> ParseSemantics(DocNode node, string file) =>
        NameList(node, file, "semantics", "semantics names", SemanticsRegistry.All, SemanticsRegistry.Names.ToList(),
            name => SemanticsRegistry.Find(name), s => s.Name);

    private static List<Property> ParseProperties(DocNode node, string file) =>
        NameList(node, file, "properties", "property names", IsolationProperties.All, IsolationProperties.All.Select(p => p.Name).ToList(),
            IsolationProperties.Find, p => p.Name);

    /// <summary>
    /// A list of names (or the word <c>all</c>) resolved to values, kept in the order of <paramref name="all"/>:
    /// unknown names get a suggestion, a value named twice (also through an alias) is an error.
    /// </summary>
    private static List<T> NameList<T>(DocNode node, string file, string key, string kind, IReadOnlyList<T> all,
        IReadOnlyList<string> names, Func<string, T?> find, Func<T, string> nameOf) where T : class
    {
        if (node is DocScalar { Kind: ScalarKind.String, Text: "all" }) return [.. all];
        if (node is not DocSeq seq)
            throw new InputException($"{SourceLocation.At(file, node)}: '{key}' of the spec must be a list of {kind} or 'all', not {node.Describe()}" +
                                     (node is DocScalar { Kind: ScalarKind.String } one ? $" (for one, write [{one.Text}])" : ""));
        if (seq.Items.Count == 0)
            throw new InputException($"{SourceLocation.At(file, node)}: '{key}' of the spec is an empty list: name at least one, or write 'all' (the default when the key is left out)");
        var chosen = new Dictionary<T, string>();
        foreach (var item in seq.Items)
        {
            if (item is not DocScalar { Kind: ScalarKind.String } s)
                throw new InputException($"{SourceLocation.At(file, item)}: '{key}' of the spec lists {item.Describe()}: an entry is one of {Suggestions.List(names)}");
            var value = find(s.Text)
                ?? throw new InputException($"{SourceLocation.At(file, s)}: '{key}' of the spec names '{s.Text}', which Verify does not know.{Suggestions.DidYouMean(s.Text, names)} " +
                                            $"Valid names: {Suggestions.List(names)} (or write {key}: all)");
            if (chosen.TryGetValue(value, out var earlier))
                throw new InputException($"{SourceLocation.At(file, s)}: '{key}' of the spec names {nameOf(value)} twice" +
                                         (earlier != s.Text ? $" ('{earlier}' and '{s.Text}' are names of the same one)" : "") + ": name it once");
            chosen.Add(value, s.Text);
        }
        return [.. all.Where(chosen.ContainsKey)];
    }

    /// <summary><c>modules</c>: the catalogue modules a search imports (the core ones are always there).</summary>
    private static List<string> ParseModuleSet(DocNode node, string file, Catalogue cat)
    {
        var names = cat.Modules.Where(m => m.Origin != Origin.Core).Select(m => m.Name).ToList();
        var picked = NameList(node, file, "modules", "module names", names, names, n => names.Contains(n) ? n : null, n => n);
        return picked;
    }

    /// <summary><c>operations</c>: the trace ops a search may use.</summary>
    private static HashSet<string> ParseOperations(DocNode node, string file) =>
        [.. NameList(node, file, "operations", "op names", Configuration.AllOperations, Configuration.AllOperations,
            n => Configuration.AllOperations.Contains(n) ? n : null, n => n)];

    private static int ParseDepth(DocNode node, string file) => node is DocScalar d && d.TryInt(out var v) && v >= 1
        ? v
        : throw new InputException($"{SourceLocation.At(file, node)}: 'depth' of the spec must be a positive integer, the length of the longest trace to explore " +
                                   $"(leave it out to search to the fixpoint), not {node.Describe()}");

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
