using System.Text.Json.Nodes;
using Verify.Checker.Documents;
using Verify.Checker.Text;

namespace Verify.Checker.Traces;

/// <summary>
/// Turns a document into a <see cref="Trace"/>, checking its shape: the list (or the object's <c>steps</c>
/// list), each step's op and exactly the arguments that op takes, with their types. Module names are
/// checked later, against the catalogue (<see cref="TraceBinder"/>); preconditions at replay time.
/// </summary>
internal static class TraceParser
{
    public static Trace ParseFile(string path) => Parse(DocReader.ReadFile(path), path);

    public static Trace ParseText(string text, string name) => Parse(DocReader.Read(text, name), name);

    public static Trace Parse(DocNode root, string file)
    {
        DocSeq steps;
        var metadata = new List<KeyValuePair<string, JsonNode?>>();
        switch (root)
        {
            case DocSeq seq:
                steps = seq;
                break;
            case DocMap map:
                if (map.Get("steps") is not { } s)
                    throw new InputException($"{SourceLocation.At(file, map)}: the trace object has no 'steps' key; " +
                        "a trace is a list of steps, or an object whose 'steps' is that list (other keys such as 'semantics' and 'description' are kept)");
                if (s is not DocSeq list)
                    throw new InputException($"{SourceLocation.At(file, s)}: 'steps' must be a list of steps, not {s.Describe()}");
                steps = list;
                foreach (var (k, v) in map.Entries)
                {
                    if (k.Text == "steps") continue;
                    if (k.Text is "semantics" or "spec" && v is not DocScalar { Kind: ScalarKind.String })
                        throw new InputException($"{SourceLocation.At(file, v)}: '{k.Text}' must be a string, not {v.Describe()}");
                    // Checked here, where its line is known, rather than when a replay looks the name up.
                    if (k.Text == "semantics" && v is DocScalar name && Model.SemanticsRegistry.Find(name.Text) is null)
                        throw new InputException($"{SourceLocation.At(file, v)}: 'semantics' names '{name.Text}', which Verify does not know." +
                                                 $"{Suggestions.DidYouMean(name.Text, Model.SemanticsRegistry.Names)} Known semantics: {Suggestions.List(Model.SemanticsRegistry.Names)}");
                    metadata.Add(new(k.Text, DocNodes.ToJson(v)));
                }
                break;
            default:
                throw new InputException($"{SourceLocation.At(file, root)}: a trace must be a list of steps, or an object with a 'steps' list, not {root.Describe()}");
        }
        var parsed = steps.Items.Select((node, k) => ParseStep(node, k + 1, file)).ToList();
        return new Trace(file, parsed, metadata);
    }

    private static TraceStep ParseStep(DocNode node, int number, string file)
    {
        string Where(DocNode n) => $"{SourceLocation.At(file, n)}: step {number}";
        if (node is not DocMap map)
            throw new InputException($"{Where(node)}: a step must be an object such as {TraceOps.Usage(TraceOps.Import)}, not {node.Describe()}");

        if (map.Get("op") is not { } opNode)
            throw new InputException($"{Where(map)}: the step has no 'op'; valid ops: {Suggestions.List(TraceOps.All)}");
        if (opNode is not DocScalar { Kind: ScalarKind.String } opScalar)
            throw new InputException($"{Where(opNode)}: 'op' must be a string naming the operation, not {opNode.Describe()}; valid ops: {Suggestions.List(TraceOps.All)}");
        var op = opScalar.Text;
        if (!TraceOps.Arguments.TryGetValue(op, out var args))
            throw new InputException($"{Where(opNode)}: unknown op '{op}'.{Suggestions.DidYouMean(op, TraceOps.All)} Valid ops: {Suggestions.List(TraceOps.All)}");

        foreach (var (key, _) in map.Entries)
            if (key.Text != "op" && !args.Contains(key.Text))
            {
                var takes = args.Length == 0 ? $"'{op}' takes no arguments" : $"'{op}' takes {string.Join(", ", args.Select(a => $"'{a}'"))}";
                throw new InputException($"{Where(key)}: unexpected argument '{key.Text}': {takes}.{Suggestions.DidYouMean(key.Text, args)} Write it as {TraceOps.Usage(op)}");
            }
        foreach (var a in args)
            if (map.Get(a) is null)
                throw new InputException($"{Where(map)}: '{op}' needs the argument '{a}'; write it as {TraceOps.Usage(op)}");

        int? i = null;
        if (map.Get(TraceOps.ArgI) is { } iNode)
        {
            if (iNode is not DocScalar sc || !sc.TryInt(out var value) || value < 0)
                throw new InputException($"{Where(iNode)}: 'I' must be an interpreter number (0 is main, 1, 2, ... are subinterpreters), not {iNode.Describe()}");
            // Without a spec, replay sizes the configuration to the highest interpreter a trace names.
            if (value > Specs.SpecFile.MaxSlots)
                throw new InputException($"{Where(iNode)}: 'I' is {value}, but Verify models at most {Specs.SpecFile.MaxSlots} subinterpreters (1 to {Specs.SpecFile.MaxSlots}; 0 is main)");
            i = value;
        }
        string? mode = null;
        if (map.Get(TraceOps.ArgMode) is { } modeNode)
        {
            if (modeNode is not DocScalar { Kind: ScalarKind.String } ms || !TraceOps.Modes.Contains(ms.Text))
            {
                var given = modeNode is DocScalar sm ? sm.Text : "";
                throw new InputException($"{Where(modeNode)}: unknown mode {(modeNode is DocScalar ? $"'{given}'" : modeNode.Describe())}.{Suggestions.DidYouMean(given, TraceOps.Modes)} Valid modes: {Suggestions.List(TraceOps.Modes)}");
            }
            mode = ms.Text;
        }
        string? mod = null;
        if (map.Get(TraceOps.ArgMod) is { } modNode)
        {
            if (modNode is not DocScalar { Kind: ScalarKind.String } mn || mn.Text.Length == 0)
                throw new InputException($"{Where(modNode)}: 'mod' must be a module name such as \"_testsinglephase\", not {modNode.Describe()}");
            mod = mn.Text;
        }
        return new TraceStep(op, i, mode, mod, map.Line, map.Column);
    }
}
