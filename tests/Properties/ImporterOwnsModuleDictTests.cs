using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>importer-owns-module-dict against §3.2 of the semantics document (S1, S3) and the O-table.</summary>
public class ImporterOwnsModuleDictTests
{
    private static readonly Property P = IsolationProperties.ImporterOwnsModuleDict;

    // §1/T9: "every interpreter, main and each subinterpreter, builds its own sys and builtins": creating and ending
    // interpreters that import nothing never puts a foreign object in a sys.modules.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void CoreModulesAreEachInterpretersOwn(string v) => AssertHolds(P, v, New(1), New(2), End(1));

    // S1 (3.10-3.12): "A: import X, first anywhere (the init runs in A). main or B: import X. PyDict_Update from the A-owned
    // m_copy puts references to A-owned objects (obj, err, the functions whose __self__ is A's module) into B's module dict."
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void S1_MainsCopyOfXHoldsTheFirstImportersValues(string v)
    {
        var hit = AssertFirstAt(P, 3, v, New(1), Imp(1, X), Imp(0, X));
        Assert.Contains("of main", hit.Finding.Message);
        Assert.Contains("owned by sub1", hit.Finding.Message);
    }

    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void S1_BsCopyOfXHoldsAsValues(string v)
    {
        var hit = AssertFirstAt(P, 4, v, New(1), New(2), Imp(1, X), Imp(2, X));
        Assert.Contains("of sub2", hit.Finding.Message);
        Assert.Contains("owned by sub1", hit.Finding.Message);
    }

    // S1 before anyone copies: ≤3.12, the first importer's init runs in it (T1: "I owns every object made here").
    // S3 (3.13+): "Every subinterpreter copy module holds main-owned objects (init_interp == 0 everywhere)", already for
    // the first importer (O3: "False (always a copy)").
    [Theory]
    [InlineData(V310, false)]
    [InlineData(V311, false)]
    [InlineData(V312, false)]
    [InlineData(V313, true)]
    public void S3_ASubinterpretersFirstImportHoldsMainOwnedValuesOnlyIn313(string v, bool found)
    {
        var hit = First(P, v, New(1), Imp(1, X));
        if (!found)
        {
            Assert.Null(hit);
            return;
        }
        Assert.NotNull(hit);
        Assert.Equal(2, hit.StepIndex);
        Assert.Contains("of sub1", hit.Finding.Message);
        Assert.Contains("owned by main", hit.Finding.Message);
    }

    // O6: after a rename import in a subinterpreter, "main's del+re-import: id(error) equals the subinterpreter's error:
    // yes, subinterpreter-owned | yes, subinterpreter-owned | yes, but main-owned". Main's dict is foreign-filled only ≤3.12.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void O6_MainsReimportAfterASubinterpretersRenameCopiesItsObjects(string v)
    {
        var hit = AssertFirstAt(P, 5, v, Imp(0, X), New(1), Imp(1, Alias), Del(0, X), Imp(0, X));
        Assert.Contains("of main", hit.Finding.Message);
        Assert.Contains("owned by sub1", hit.Finding.Message);
    }

    // O6, 3.13.0 column: "yes, but main-owned": the alias import in A runs its init under main, and A's copy module
    // already holds main's values (S3), found at A's import; main's own modules stay main's.
    [Fact]
    public void O6_313MainStaysOwnerOfItsModules()
    {
        var hit = AssertFirstAt(P, 3, V313, Imp(0, X), New(1), Imp(1, Alias), Del(0, X), Imp(0, X));
        Assert.Contains("of sub1", hit.Finding.Message);
        Assert.Null(Verdicts(P, V313, Imp(0, X), Del(0, X), Imp(0, X))[3]);
    }

    // T8: builtins "behave exactly like dynamic modules" (exp7): a single-phase builtin first imported in a legacy
    // subinterpreter, then in main.
    [Theory]
    [InlineData(V311)]
    [InlineData(V312)]
    public void T8_ABuiltinsValuesAreSharedTheSameWay(string v) =>
        AssertFirstAt(P, 3, v, New(1), Imp(1, Builtin), Imp(0, Builtin));

    // What a subinterpreter owns itself. ≤3.12: T6 first import in a subinterpreter "the init runs each time" in it; T7
    // multi-phase: "Each import, in every interpreter, runs PyInit_* and exec again". 3.13: O15 "def.m_init is called a
    // second time, now in I" (a fresh module, owned by I), O16 multi-phase exec "in I", the opt-out's exec runs in I.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void ReinitAndMultiPhaseModulesAreTheImportersOwn(string v) =>
        AssertHolds(P, v, New(1), Imp(1, Reinit), Imp(1, WithState), Imp(1, Multi), Imp(1, OptOut),
            Imp(0, Reinit), Imp(0, WithState), Imp(0, Multi), Del(1, Reinit), Imp(1, Reinit));

    // Main alone owns everything it imports, whatever the version (T1-T5 in one interpreter).
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void MainAloneOwnsItsModules(string v) =>
        AssertHolds(P, v, Imp(0, X), Del(0, X), Imp(0, X), Imp(0, Alias), Imp(0, Copy), RelSpec(0, X), SetObj(0, X));

    // O17/O18: an isolated interpreter's single-phase import raises ImportError and leaves nothing in its sys.modules.
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O18_ARefusedImportLeavesNothingForeign(string v) =>
        AssertHolds(P, v, Imp(0, X), New(1, InterpKind.Isolated), Imp(1, X), Imp(1, Copy));

    // The property judges live interpreters of a running process: after finalization nothing is held anywhere.
    [Fact]
    public void AFinalizedProcessIsNotJudged() =>
        Assert.Null(Verdicts(P, V311, New(1), Imp(1, X), Imp(0, X), new Finalization())[4]);
}
