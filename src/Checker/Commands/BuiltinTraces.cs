using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>Traces Verify carries with it (also kept as files under specs/traces/).</summary>
internal static class BuiltinTraces
{
    /// <summary>
    /// D2, the rename (semantics document §3.1): main imports the def under one name, a legacy
    /// subinterpreter imports the same def under another, and the fix-up there drops main's <c>m_copy</c>.
    /// Same as specs/traces/d2-rename.yaml.
    /// </summary>
    public static Trace D2Rename() => new(
        "built-in D2 rename trace",
        [
            TraceStep.OnModule(TraceOps.Import, Interp.Main, DefaultCatalogue.TestSinglePhase),
            TraceStep.NewInterp(1, "legacy"),
            TraceStep.OnModule(TraceOps.Import, 1, DefaultCatalogue.BasicWrapper),
        ]);
}
