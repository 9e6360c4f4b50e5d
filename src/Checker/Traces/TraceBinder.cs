using Verify.Checker.Text;
using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Checker.Traces;

/// <summary>Binds parsed steps to the model's <see cref="Action"/> records over one catalogue, and back.</summary>
internal static class TraceBinder
{
    public static IReadOnlyList<Action> Bind(Trace trace, Catalogue cat) =>
        trace.Steps.Select((s, k) => Bind(s, k + 1, trace.Source, cat)).ToList();

    public static Action Bind(TraceStep step, int number, string source, Catalogue cat)
    {
        int Mod()
        {
            var index = cat.ModuleIndex(step.Mod!);
            if (index >= 0) return index;
            var names = cat.Importable.Select(m => m.Name).ToList();
            throw new InputException($"{Where(step, number, source)}: unknown module '{step.Mod}'.{Suggestions.DidYouMean(step.Mod!, names)} " +
                $"Modules of the catalogue: {Suggestions.List(names)}");
        }
        var i = step.I ?? 0;
        return step.Op switch
        {
            TraceOps.NewInterp => new NewInterp(i, ParseMode(step.Mode!)),
            TraceOps.EndInterp => new EndInterp(i),
            TraceOps.Import => new Import(i, Mod()),
            TraceOps.DelSysModules => new DelSysModules(i, Mod()),
            TraceOps.Reload => new Reload(i, Mod()),
            TraceOps.ReloadSpec => new ReloadSpec(i, Mod()),
            TraceOps.ClearExtension => new ClearExtension(i, Mod()),
            TraceOps.SetAttr => new SetAttr(i, Mod()),
            TraceOps.Finalize => new Finalization(),
            _ => throw new InputException($"{Where(step, number, source)}: unknown op '{step.Op}'; valid ops: {Suggestions.List(TraceOps.All)}"),
        };
    }

    /// <summary>The step an action is written as (for saving counterexamples).</summary>
    public static TraceStep ToStep(Action a, Catalogue cat) => a switch
    {
        NewInterp n => TraceStep.NewInterp(n.I, ActionText.Mode(n.Mode)),
        EndInterp e => TraceStep.EndInterp(e.I),
        ModuleAction m => TraceStep.OnModule(m.Op, m.I, cat.Modules[m.Module].Name),
        Finalization => TraceStep.Finalize(),
        _ => throw new ArgumentException($"no trace op for {a}", nameof(a)),
    };

    public static InterpKind ParseMode(string mode) =>
        ActionText.ParseMode(mode) ?? throw new InputException($"unknown mode '{mode}'; valid modes: {Suggestions.List(TraceOps.Modes)}");

    /// <summary>"file:line:col: step n" for messages about a step.</summary>
    public static string Where(TraceStep step, int number, string source) =>
        $"{Documents.SourceLocation.At(source, step.Line, step.Column)}: step {number}";
}
