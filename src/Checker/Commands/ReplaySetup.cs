using Verify.Checker.Specs;
using Verify.Checker.Text;
using Verify.Checker.Traces;
using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Checker.Commands;

/// <summary>
/// Everything a replay needs, resolved from the command line and the trace: the semantics (option, else
/// the trace's <c>semantics</c> key), the spec (option, else the trace's <c>spec</c> key, else built-in),
/// the slot count, and the trace bound to the catalogue.
/// </summary>
internal sealed record ReplaySetup(Trace Trace, SpecFile Spec, Configuration Configuration, IReadOnlyList<Action> Actions)
{
    public static ReplaySetup Load(string tracePath, string? semanticsName, string? specPath)
    {
        var trace = TraceParser.ParseFile(tracePath);
        var name = semanticsName ?? trace.Semantics
            ?? throw new InputException($"{tracePath}: no semantics given: pass --semantics NAME or add a top-level 'semantics' key to the trace. " +
                                        $"Known semantics: {Suggestions.List(SemanticsRegistry.Names)}");
        var semantics = FindSemantics(name);
        SpecFile spec;
        if (specPath is not null) spec = SpecParser.ParseFile(specPath);
        else if (trace.Spec is { } fromTrace)
            spec = SpecParser.ParseFile(Path.Combine(Path.GetDirectoryName(tracePath) ?? "", fromTrace));
        else spec = SpecFile.Default();
        return For(trace, semantics, spec);
    }

    /// <summary>
    /// A trace already in hand (e.g. built in code) on a given semantics and spec. A spec's <c>interpreters</c>
    /// bound the modes of each slot, as they bound a check, so a trace a check saved replays on the same configuration.
    /// </summary>
    public static ReplaySetup For(Trace trace, Semantics semantics, SpecFile spec)
    {
        var actions = TraceBinder.Bind(trace, spec.Catalogue);
        // A spec that sets slots is taken at its word (a trace beyond them fails its precondition); the
        // default only sizes the configuration, so it grows to the highest interpreter the trace names.
        var config = spec.SlotsGiven
            ? new Configuration(semantics, spec.Catalogue, spec.SlotKinds)
            : new Configuration(semantics, spec.Catalogue, Math.Max(spec.Slots, trace.MaxInterpreter));
        return new ReplaySetup(trace, spec, config, actions);
    }

    public static Semantics FindSemantics(string name) =>
        SemanticsRegistry.Find(name)
        ?? throw new InputException($"unknown semantics '{name}'.{Suggestions.DidYouMean(name, SemanticsRegistry.Names)} " +
                                    $"Known semantics: {Suggestions.List(SemanticsRegistry.Names)}");
}
