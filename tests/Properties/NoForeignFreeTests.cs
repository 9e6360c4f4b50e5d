using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>
/// no-foreign-free against §3.1 of the semantics document: "With a shared obmalloc (legacy subinterpreters, and everything
/// before 3.12) a decref-foreign is harmless unless it frees memory whose allocator state belongs to another interpreter.
/// With per-interpreter obmalloc (3.12+ isolated interpreters ...) freeing x crashes."
/// </summary>
public class NoForeignFreeTests
{
    private static readonly Property P = IsolationProperties.NoForeignFree;

    private static RefEvent AssertForeignFree(Hit hit, int actor, int owner)
    {
        var e = AssertRefEvent(hit, RefOp.Free, actor, owner);
        Assert.NotEqual(e.ActorDomain, e.Object.Domain);
        return e;
    }

    // D2: "in 3.12.1 with A isolated and the check overridden, step 2 aborts with 'free(): invalid pointer'. The backtrace:
    // ... fix_up_extension (the m_copy drop) -> dict_dealloc -> _PyObject_Free under A's obmalloc, which fails to recognise
    // main's pool". O20 is the same sequence. The trace: main imports X, A is created, A renames: found at step 3, on the
    // free of main's m_copy dict by A.
    [Fact]
    public void D2_TheRenameImportInAnIsolatedOverrideInterpreterFreesMainsMCopyUnderItsOwnAllocator()
    {
        var hit = AssertFirstAt(P, 3, V312, Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, Alias));
        var e = AssertForeignFree(hit, actor: 1, owner: 0);
        Assert.Equal(ObjKind.Dict, e.Object.Kind);
        Assert.Equal(0, e.Object.Domain);
        Assert.Equal(1, e.ActorDomain);
        Assert.Contains(hit.Judged.Events.OfType<MCopyChanged>(), m => m.Def == D(X) && m.Old == e.Id);
    }

    // D2 with a legacy A frees the same dict in A, but A allocates from main's obmalloc: the verified runs on 3.10.13,
    // 3.11.7 and 3.12.1 did not crash ("Verified (content changes)"). 3.13.0: "runs the same sequence cleanly, because the
    // init and the fix-up run under main" (also with the isolated+override A: O20 "works").
    [Theory]
    [InlineData(V310, InterpKind.Legacy)]
    [InlineData(V311, InterpKind.Legacy)]
    [InlineData(V312, InterpKind.Legacy)]
    [InlineData(V313, InterpKind.Legacy)]
    [InlineData(V313, InterpKind.IsolatedOverride)]
    public void D2_HoldsWhereTheFreeingInterpreterSharesTheAllocatorOrIn313(string v, InterpKind kind) =>
        AssertHolds(P, v, Imp(0, X), New(1, kind), Imp(1, Alias), new Finalization());

    // S2: "Isolated S, with the override: import X first (the init runs in S with S's allocator). main: import X. main's
    // dict now holds S-allocated objects. destroy(S). main finalization frees those objects with the wrong allocator: abort
    // 'free(): invalid pointer' at exit [exp:exp4-d 3.12.1]". Ending S frees only S's own objects under S (T11: S's
    // init-created module and its m_copy), so the first foreign free is in finalization, step 5, by main.
    [Fact]
    public void S2_MainsFinalizationFreesTheIsolatedInterpretersObjects()
    {
        var hit = AssertFirstAt(P, 5, V312, New(1, InterpKind.IsolatedOverride), Imp(1, X), Imp(0, X), End(1), new Finalization());
        var e = AssertForeignFree(hit, actor: 0, owner: 1);
        Assert.Equal(1, e.Object.Domain);
        Assert.Equal(0, e.ActorDomain);
    }

    // S3: "Main's objects cannot die before the subinterpreter ends, so the dangling-owner crashes of S1 and S2 disappear";
    // in 3.13 every object the init made is main's, and S holds only a copy module (its own) of main's values.
    [Fact]
    public void S2_Holds313() =>
        AssertHolds(P, V313, New(1, InterpKind.IsolatedOverride), Imp(1, X), Imp(0, X), End(1), new Finalization());

    // D4 run in an isolated+override A on 3.12: clear_extension "drop[s] m_copy while the current interpreter is active,
    // whoever owns it" (T10 3.12), and main held no other reference to that dict (D2: "freed if main held no other
    // reference"), so A frees main's dict under its own obmalloc: the free §3.1 says crashes with per-interpreter obmalloc.
    // [hand derivation from T10 and §3.1; the documented D4 run used a legacy A]
    [Fact]
    public void D4_ClearExtensionInAnIsolatedOverrideInterpreterFreesMainsMCopy()
    {
        var hit = AssertFirstAt(P, 3, V312, Imp(0, X), New(1, InterpKind.IsolatedOverride), Clear(1, X));
        Assert.Equal(ObjKind.Dict, AssertForeignFree(hit, actor: 1, owner: 0).Object.Kind);
    }

    // 3.13 T10: "Drop def.m_copy in the current interpreter" (the second reference only), then "Switch to main and delete
    // the cache record (which drops copied)": the free happens under main.
    [Fact]
    public void D4_Holds313() => AssertHolds(P, V313, Imp(0, X), New(1, InterpKind.IsolatedOverride), Clear(1, X), new Finalization());

    // 3.10/3.11: "There is no isolation setting. Every subinterpreter shares the GIL and the allocator with main": the
    // whole of D1, D3 and S1 (ending the first importer, then main's finalization) frees nothing under a foreign allocator.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void NothingIsAForeignFreeBefore312(string v) =>
        AssertHolds(P, v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, Alias), End(1), Del(0, X), Imp(0, X), End(2), new Finalization());

    // A teardown's foreign free (checked on 3.12.1 and on 3.13.0: exit 134, "free(): invalid pointer", while destroying S):
    // main imports X, an isolated+override S copies main's values (T2/T3: "J gets I-owned values (shallow)"; 3.13: S3),
    // main rebinds X.obj (O21) and clear_extension drops m_copy under main (T10; 3.13 also deletes the record, dropping
    // copied), so S's copy dict holds the last reference to main's list. S's teardown decrefs it ("Values of J's copy
    // modules, which are owned by other interpreters, are decref'd while J is current", T11) and frees it under S's
    // obmalloc. 3.13 is no exception: §4's "Foreign decref of shared values (no free)" does not hold once the test hooks
    // (the override and clear_extension) are used.
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T11_ATeardownFreesMainsListUnderTheIsolatedInterpretersAllocator(string v)
    {
        var hit = AssertFirstAt(P, 6, v, Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, X), SetObj(0, X), Clear(0, X), End(1));
        var e = AssertForeignFree(hit, actor: 1, owner: 0);
        Assert.Equal(ObjKind.List, e.Object.Kind);
    }

    // Without the rebinding, main's init-created module keeps the list (its functions' __self__ keeps that module alive
    // from S's dict, and the cycle is main's to collect): S's teardown only decrefs (checked on 3.12.1 and 3.13.0:
    // the destroy and the exit are clean).
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T11_WithoutTheRebindingTheTeardownOnlyDecrefs(string v) =>
        AssertHolds(P, v, Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, X), Clear(0, X), End(1));
}
