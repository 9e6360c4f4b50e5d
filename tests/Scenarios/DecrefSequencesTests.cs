using Xunit;
using Verify.Model;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Scenarios;

/// <summary>
/// §3.1 of the semantics document: decref in the wrong interpreter, sequences D1-D4.
/// "decref-foreign(I, x)": x is decref'd (and possibly freed) while I is current and own(x) != I.
/// </summary>
public class DecrefSequencesTests
{
    // D1: "Startup: main fixes up sys and builtins, so m_copy(sys) is owned by main.
    //      Py_NewInterpreter() creates A. A's sys goes through the fix-up: decref-foreign(A, m_copy(sys) owned by main),
    //      and m_copy(sys) becomes A-owned." 3.10/3.11 only: "Since 3.12, m_copy is skipped for core modules".
    // T9: "builtins gets the same treatment".
    [Theory]
    [InlineData(V310, "sys", true)]
    [InlineData(V311, "sys", true)]
    [InlineData(V312, "sys", false)]
    [InlineData(V313, "sys", false)]
    [InlineData(V311, "builtins", true)]
    [InlineData(V312, "builtins", false)]
    [InlineData(V313, "builtins", false)]
    public void D1_CreatingASubinterpreterDropsTheMainOwnedCoreMCopyWhileTheSubinterpreterIsCurrent(string v, string core, bool expected)
    {
        var t = Run(v, New(1));
        t.AssertAllOk();
        var d = D(core);

        Assert.Equal(expected, St.MCopy(t.Initial, core) is { Owner: 0 });
        Assert.Equal(expected, t.DroppedMCopy(0, d, RefOp.Decref, actor: 1, owner: 0));
        // nothing else references the old m_copy: the decref frees it, in the subinterpreter
        Assert.Equal(expected, t.DroppedMCopy(0, d, RefOp.Free, actor: 1, owner: 0));
        Assert.Equal(expected, St.MCopy(t.Final, core) is { Owner: 1 });
        if (!expected)
        {
            Assert.Null(St.MCopy(t.Initial, core));
            Assert.Null(St.MCopy(t.Final, core));
            Assert.DoesNotContain(t[0].Events.OfType<MCopyChanged>(), e => e.Def == d);
        }
    }

    // D1: "Also Py_EndInterpreter(A), with C alive, clears the m_copy(sys) that C installed (decref-foreign(A, C-owned))".
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, false)]
    [InlineData(V313, false)]
    public void D1_EndingAnEarlierSubinterpreterClearsTheSysMCopyALaterOneInstalled(string v, bool expected)
    {
        var t = Run(v, New(1), New(2), End(1));
        t.AssertAllOk();
        var sys = D("sys");
        Assert.Equal(expected, St.MCopy(t.Before(2), "sys") is { Owner: 2 });
        Assert.Equal(expected, t.DroppedMCopy(2, sys, RefOp.Decref, actor: 1, owner: 2));
        Assert.Null(St.MCopy(t.Final, "sys"));
    }

    // D2: "main: import X. m_copy(def) is owned by main. Interpreter A: load the same def under a new name ...
    //      the fix-up in A performs decref-foreign(A, m_copy owned by main) (freed if main held no other reference).
    //      The new m_copy is A-owned." Verified in 3.10.13, 3.11.7 and 3.12.1.
    // 3.13 (T5): "No interpreter ever decrefs another interpreter's m_copy: all of it happens under main".
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void D2_RenameImportInASubinterpreterDecrefsAndFreesTheMainOwnedMCopy(string v, bool expected)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, Alias));
        t.AssertAllOk();
        var d = D(X);
        Assert.Equal(0, St.MCopyOwner(t.Before(2), X));

        Assert.Equal(expected, t.DroppedMCopy(2, d, RefOp.Decref, actor: 1, owner: 0));
        // m_copy is the only reference main holds to that dict: it is freed in A
        Assert.Equal(expected, t.DroppedMCopy(2, d, RefOp.Free, actor: 1, owner: 0));
        Assert.Equal(expected, t.AnyForeignDrop(2, d));
        // "The new m_copy is A-owned" (<=3.12); 3.13: "m_copy is always main-owned"
        Assert.Equal(expected ? 1 : 0, St.MCopyOwner(t.Final, X));
        if (!expected)
        {
            // 3.13: the old m_copy is released under main, and only its second reference (the record keeps it)
            Assert.True(t.DroppedMCopy(2, d, RefOp.Decref, actor: 0, owner: 0));
            Assert.False(t.DroppedMCopy(2, d, RefOp.Free, actor: 0, owner: 0));
        }
    }

    // D2: "Verified crash: in 3.12.1 with A isolated and the check overridden, step 2 aborts with 'free(): invalid pointer'"
    //     "3.13.0 runs the same sequence cleanly, because the init and the fix-up run under main".
    // O20 (same sequence) says 3.13.0 "works".
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void D2_RenameImportInAnIsolatedOverrideInterpreterAbortsOnlyIn312(string v, bool aborts)
    {
        var t = Run(v, Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, Alias));
        Assert.Equal(OutcomeKind.Ok, t[0].Outcome.Kind);
        Assert.Equal(OutcomeKind.Ok, t[1].Outcome.Kind);
        if (aborts)
        {
            t.AssertCrash(t[2].Outcome, CrashKind.Abort);
            Assert.Contains("free(): invalid pointer", t[2].Outcome.Message);
            // the crash is the free of main's m_copy under A's obmalloc, in the fix-up
            Assert.True(t.DroppedMCopy(2, D(X), RefOp.Free, actor: 1, owner: 0));
        }
        else
        {
            Assert.Equal(OutcomeKind.Ok, t[2].Outcome.Kind);
            Assert.Equal(OutcomeKind.Ok, t.Exit().Kind);
        }
    }

    // D3: "A: import X, first anywhere ... m_copy is A-owned. B: load X_alias (same def) ... decref-foreign(B, A-owned m_copy).
    //      The new m_copy is B-owned. destroy(A): _PyImport_ClearModulesByIndex(A) ... drops m_copy: decref-foreign(A, B-owned dict)."
    //     "m_copy goes from non-NULL to 0 when A is destroyed, in 3.10.13, 3.11.7 and 3.12.1. 3.13.0 keeps it".
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void D3_TeardownOfTheFirstImporterClearsAnMCopyAnotherSubinterpreterInstalled(string v, bool expected)
    {
        var t = Run(v, New(1), New(2), Imp(1, X), Imp(2, Alias), End(1));
        t.AssertAllOk();
        var d = D(X);

        Assert.Equal(expected ? 1 : 0, St.MCopyOwner(t.Before(3), X));
        Assert.Equal(expected, t.DroppedMCopy(3, d, RefOp.Decref, actor: 2, owner: 1));
        Assert.Equal(expected ? 2 : 0, St.MCopyOwner(t.Before(4), X));

        Assert.Equal(expected, t.DroppedMCopy(4, d, RefOp.Decref, actor: 1, owner: 2));
        Assert.Equal(expected, t[4].Events.OfType<MCopyChanged>().Any(e => e.Def == d && e.New.IsNone && e.Actor == 1));
        Assert.Equal(expected, St.MCopy(t.Final, X) is null);
        Assert.Equal(expected, !St.DefObs(t.ObserveFinal(), X).MCopySet);
        if (!expected)
        {
            Assert.Empty(t.MCopyDropEvents(4, d));
            Assert.False(t.AnyForeignDrop(3, d));
        }
    }

    // D4: "main: import X. A: _testinternalcapi.clear_extension("X", file): decref-foreign(A, main-owned m_copy) [3.12.1]."
    //     "In 3.13 the current interpreter still drops def.m_copy. However, that reference is only the second one; the dict
    //      itself is released when the record is deleted under main".
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void D4_ClearExtensionInASubinterpreterDropsTheMainOwnedMCopyThere(string v, bool freedInSubinterpreter)
    {
        var t = Run(v, Imp(0, X), New(1), Clear(1, X));
        t.AssertAllOk();
        var d = D(X);
        Assert.True(t.DroppedMCopy(2, d, RefOp.Decref, actor: 1, owner: 0));
        Assert.Equal(freedInSubinterpreter, t.DroppedMCopy(2, d, RefOp.Free, actor: 1, owner: 0));
        Assert.Equal(!freedInSubinterpreter, t.DroppedMCopy(2, d, RefOp.Free, actor: 0, owner: 0));
        Assert.Null(St.MCopy(t.Final, X));
        Assert.False(St.Cached(t.Final, X));
    }

    // D4 is "3.12; tests only": clear_extension is "new in 3.12" (T10), so 3.10/3.11 cannot run it.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void D4_ClearExtensionDoesNotExistBefore312(string v)
    {
        var cfg = Config(v);
        var s = cfg.Run([Imp(0, X), New(1)])[^1].State;
        Assert.NotNull(cfg.WhyDisabled(s, Clear(1, X)));
    }
}
