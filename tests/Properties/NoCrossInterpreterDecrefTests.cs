using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>
/// no-cross-interpreter-decref against §3.1 (D1-D4) and §4's "Foreign decref of shared values" row of the semantics
/// document: "decref-foreign(I, x) means x is decref'd, and possibly freed, while interpreter I is current and own(x) != I".
/// </summary>
public class NoCrossInterpreterDecrefTests
{
    private static readonly Property P = IsolationProperties.NoCrossInterpreterDecref;

    /// <summary>The <c>m_copy</c> dicts of <paramref name="def"/> that the judged step dropped (replaced or cleared).</summary>
    private static HashSet<ObjId> DroppedMCopies(Hit hit, string def) =>
        hit.Judged.Events.OfType<MCopyChanged>().Where(e => e.Def == D(def) && e.Old.IsObject).Select(e => e.Old).ToHashSet();

    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void TheInitialStateHoldsIt(string v) => Assert.Null(Verdicts(P, v)[0]);

    // D1 (3.10/3.11): "Startup: main fixes up sys and builtins, so m_copy(sys) is owned by main. Py_NewInterpreter() creates
    // A. A's sys goes through the fix-up: decref-foreign(A, m_copy(sys) owned by main)". No user action is needed, so the
    // violation is one step long: creating the subinterpreter. (T9: sys is the first core module built.)
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void D1_CreatingASubinterpreterDecrefsMainsSysMCopyAtStepOne(string v)
    {
        var hit = AssertFirstAt(P, 1, v, New(1));
        var e = AssertRefEvent(hit, RefOp.Decref, actor: 1, owner: 0, ObjKind.Dict);
        Assert.Contains(e.Id, DroppedMCopies(hit, "sys"));
    }

    // D1: "Since 3.12, m_copy is skipped for core modules, which removes this case". Creating and ending subinterpreters
    // that import nothing decrefs nothing foreign (each interpreter builds and tears down its own sys and builtins).
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void D1_IsGoneFrom312(string v) => AssertHolds(P, v, New(1), New(2), End(1), End(2));

    // D1 continued: "Py_EndInterpreter(A), with C alive, clears the m_copy(sys) that C installed (decref-foreign(A, C-owned))".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void D1_EndingTheEarlierSubinterpreterDecrefsTheSysMCopyTheLaterOneInstalled(string v)
    {
        var hit = Verdicts(P, v, New(1), New(2), End(1))[3];
        Assert.NotNull(hit);
        var e = AssertRefEvent(hit, RefOp.Decref, actor: 1, owner: 2, ObjKind.Dict);
        Assert.Contains(e.Id, DroppedMCopies(hit, "sys"));
    }

    // D2: "main: import X. m_copy(def) is owned by main. Interpreter A: load the same def under a new name ... the fix-up in
    // A performs decref-foreign(A, m_copy owned by main)". Verified in 3.10.13, 3.11.7 and 3.12.1. On 3.12 (no D1) it is
    // the first violation, after 3 steps; on 3.10/3.11 step 2 already violates it (D1), so step 3 is judged on its own.
    [Fact]
    public void D2_TheRenameImportDecrefsMainsMCopyAtStepThreeOn312()
    {
        var hit = AssertFirstAt(P, 3, V312, Imp(0, X), New(1), Imp(1, Alias));
        var e = AssertRefEvent(hit, RefOp.Decref, actor: 1, owner: 0, ObjKind.Dict);
        Assert.Contains(e.Id, DroppedMCopies(hit, X));
    }

    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void D2_TheRenameImportStepDecrefsMainsMCopy(string v)
    {
        var verdicts = Verdicts(P, v, Imp(0, X), New(1), Imp(1, Alias));
        var hit = verdicts[3];
        Assert.NotNull(hit);
        var e = AssertRefEvent(hit, RefOp.Decref, actor: 1, owner: 0, ObjKind.Dict);
        Assert.Contains(e.Id, DroppedMCopies(hit, X));
        // main's own import decrefs nothing foreign
        Assert.Null(verdicts[1]);
    }

    // D2 on 3.13 (T5): "No interpreter ever decrefs another interpreter's m_copy: all of it happens under main";
    // §4, F-3.13: "T5 rename in J: init in main; no foreign decref". O20: with an isolated+override A it "works".
    [Theory]
    [InlineData(InterpKind.Legacy)]
    [InlineData(InterpKind.IsolatedOverride)]
    public void D2_313HasNoForeignDecref(InterpKind kind) => AssertHolds(P, V313, Imp(0, X), New(1, kind), Imp(1, Alias));

    // D3: "A: import X, first anywhere ... B: load X_alias (same def). The init and fix-up run in B: decref-foreign(B,
    // A-owned m_copy) ... destroy(A): _PyImport_ClearModulesByIndex(A) ... drops m_copy: decref-foreign(A, B-owned dict)".
    [Fact]
    public void D3_On312BDecrefsAsMCopyThenAsTeardownDecrefsBs()
    {
        var verdicts = Verdicts(P, V312, New(1), New(2), Imp(1, X), Imp(2, Alias), End(1));
        Assert.All(verdicts.Take(4), Assert.Null);

        var b = verdicts[4]!;
        Assert.Contains(AssertRefEvent(b, RefOp.Decref, actor: 2, owner: 1, ObjKind.Dict).Id, DroppedMCopies(b, X));
        var a = verdicts[5]!;
        Assert.Contains(AssertRefEvent(a, RefOp.Decref, actor: 1, owner: 2, ObjKind.Dict).Id, DroppedMCopies(a, X));
    }

    // D3 on 3.13: "3.13.0 keeps it" (m_copy); T11 3.13: ending a subinterpreter "never touches m_copy. It still decrefs,
    // under its own GIL, main-owned values in its copy modules' dicts". The issue: 3.13 violates the property "only through
    // shared values decrefed by a subinterpreter". A's imports (init under main, copy in A) and B's rename decref nothing
    // foreign; ending A decrefs main-owned values.
    [Fact]
    public void D3_On313OnlyTheTeardownDecrefsMainOwnedValues()
    {
        var hit = AssertFirstAt(P, 5, V313, New(1), New(2), Imp(1, X), Imp(2, Alias), End(1));
        var e = hit.RefEvent;
        Assert.Equal(RefOp.Decref, e.Op);
        Assert.Equal(1, e.Actor);
        Assert.Equal(0, e.Object.Owner);
        Assert.Contains(e.Object.Kind, new[] { ObjKind.List, ObjKind.Type, ObjKind.Func });
        Assert.Empty(DroppedMCopies(hit, X));
    }

    // S3 / §4 F-3.13 "Foreign decref of shared values (no free)? yes: subinterpreter teardown decrefs main-owned values".
    // The import itself is clean: the init and every m_copy write happen under main (T1 3.13 steps 3-6).
    [Fact]
    public void S3_A313SubinterpreterDecrefsMainOwnedValuesOnlyWhenItEnds()
    {
        var hit = AssertFirstAt(P, 3, V313, New(1), Imp(1, X), End(1));
        var e = AssertRefEvent(hit, RefOp.Decref, actor: 1, owner: 0);
        Assert.NotEqual(ObjKind.Dict, e.Object.Kind);
        Assert.NotEqual(ObjKind.Module, e.Object.Kind);
    }

    // D4: "main: import X. A: _testinternalcapi.clear_extension("X", file): decref-foreign(A, main-owned m_copy)
    // [exp:exp5-clear 3.12.1]". "In 3.13 the current interpreter still drops def.m_copy. However, that reference is only the
    // second one" (§4: "clear_extension in a subinterpreter drops the def's extra reference"): a decref, still foreign.
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void D4_ClearExtensionInASubinterpreterDecrefsMainsMCopyAtStepThree(string v)
    {
        var hit = AssertFirstAt(P, 3, v, Imp(0, X), New(1), Clear(1, X));
        var e = AssertRefEvent(hit, RefOp.Decref, actor: 1, owner: 0, ObjKind.Dict);
        Assert.Contains(e.Id, DroppedMCopies(hit, X));
    }

    // Everything in one interpreter: T1, T2 (del + import: "No init runs and m_copy does not change"), T4 (no-op), T4b,
    // T5 in main (main drops its own m_copy) and T12 (main's finalization) decref only main-owned objects.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void MainAloneNeverDecrefsAForeignObject(string v) =>
        AssertHolds(P, v, Imp(0, X), Del(0, X), Imp(0, X), Rel(0, X), RelSpec(0, X), Imp(0, Alias), Imp(0, Copy),
            Imp(0, Reinit), Imp(0, Multi), new Finalization());

    // O18: "isolated interpreter, module already cached by main: ImportError" (T2/T3 3.12: the check comes right after the
    // cache lookup, before anything is touched).
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O18_ARefusedImportInAnIsolatedInterpreterDecrefsNothing(string v) =>
        AssertHolds(P, v, Imp(0, X), New(1, InterpKind.Isolated), Imp(1, X));
}
