using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;
using Action = Verify.Model.Action;

namespace Verify.Tests.Properties;

/// <summary>The two non-vacuity properties, witnessed by the obvious sequences of the semantics document.</summary>
public class SometimesPropertiesTests
{
    private static readonly Property Imports = IsolationProperties.SubinterpreterImportsLegacyModule;
    private static readonly Property Ends = IsolationProperties.SubinterpreterEnds;

    // S1 step 1, exp2 A1: "a legacy subinterpreter imports first". It holds X in its sys.modules (a copy in 3.13: O3).
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void ASubinterpreterImportingXWitnessesTheImport(string v)
    {
        var hit = AssertFirstAt(Imports, 2, v, New(1), Imp(1, X));
        Assert.Contains("sub1 holds _testsinglephase", hit.Finding.Message);
    }

    // Not witnesses: main's imports; T7 multi-phase and T14 opt-out modules in a subinterpreter (not legacy single-phase);
    // the core sys/builtins every interpreter has (T9); O17/O18 isolated imports end in ImportError.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void MainMultiPhaseAndCoreModulesDoNotWitnessIt(string v) =>
        AssertHolds(Imports, v, Imp(0, X), Imp(0, Builtin), New(1), Imp(1, Multi), Imp(1, OptOut), New(2));

    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O17_O18_RefusedIsolatedImportsDoNotWitnessIt(string v) =>
        AssertHolds(Imports, v, New(1, InterpKind.Isolated), Imp(1, X), Imp(0, Copy), Imp(1, Copy));

    // O19: "isolated interpreter, builtin single-phase module, first import anywhere: succeeds (init in the isolated
    // interpreter) | ImportError" (3.12.1 | 3.13.0).
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O19_AnIsolatedInterpretersFirstBuiltinImportWitnessesItOnlyIn312(string v, bool found)
    {
        if (found) AssertFirstAt(Imports, 2, v, New(1, InterpKind.Isolated), Imp(1, Builtin));
        else AssertHolds(Imports, v, New(1, InterpKind.Isolated), Imp(1, Builtin));
    }

    // A subinterpreter that ended holds nothing.
    [Fact]
    public void AnEndedSubinterpreterIsNoWitness() => Assert.Null(Verdicts(Imports, V311, New(1), Imp(1, X), End(1))[3]);

    // T11: Py_EndInterpreter of a subinterpreter that imported X (exp1/exp2 "destroy"), with main running on.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void EndingASubinterpreterThatImportedXWitnessesTheEnd(string v)
    {
        var hit = AssertFirstAt(Ends, 3, v, New(1), Imp(1, X), End(1));
        Assert.Contains("sub1 ends holding _testsinglephase", hit.Finding.Message);
    }

    // Any extension module counts, multi-phase included (T7 in a subinterpreter, then T11).
    [Fact]
    public void EndingASubinterpreterThatImportedAMultiPhaseModuleWitnessesTheEnd() =>
        AssertFirstAt(Ends, 3, V313, New(1), Imp(1, Multi), End(1));

    // Not witnesses: a subinterpreter that imported nothing but its own core modules (T9); subinterpreters ended by
    // Py_Finalize (T12), after which the process does not run on.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void EndsWithoutExtensionsOrAtFinalizationDoNotWitnessIt(string v)
    {
        AssertHolds(Ends, v, New(1), End(1), New(2), Imp(0, X), End(2));
        AssertHolds(Ends, v, New(1), Imp(1, X), new Finalization());
    }

    // An end that crashes does not witness it: the process does not run on. The trace (checked on 3.12.1, exit 134
    // "free(): invalid pointer" at destroy): main imports X; an isolated+override S imports it (a copy of main's values,
    // T2/T3); main rebinds X.obj (O21) and clear_extension drops m_copy under main (T10), so S's dict holds the last
    // reference to main's list, which S's teardown frees under S's obmalloc (§3.1: "freeing x crashes").
    [Fact]
    public void AnEndThatCrashesTheProcessDoesNotWitnessIt()
    {
        Action[] trace = [Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, X), SetObj(0, X), Clear(0, X), End(1)];
        var end = Config(V312).Run(trace)[^1];
        Assert.Equal(CrashKind.Abort, end.Outcome.Crash);
        // it would witness it had the process run on: sub1 ends holding X
        Assert.True(end.State.Interps[1].SysModule(M(X)).IsObject);
        AssertHolds(Ends, V312, trace);
    }
}
