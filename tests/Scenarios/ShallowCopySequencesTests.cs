using Xunit;
using Verify.Model;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Scenarios;

/// <summary>§3.2 of the semantics document: B's module dict holds A's objects (S1, S1', S2, S3).</summary>
public class ShallowCopySequencesTests
{
    // S1: "A: import X, first anywhere (the init runs in A). main or B: import X. PyDict_Update from the A-owned m_copy puts
    //      references to A-owned objects (obj, err, the functions whose __self__ is A's module) into B's module dict."
    //     "Observed: id(B.X.obj) == id(A.X.obj) and B.X.init_interp == A"; "initialized_count() does not change".
    // S3 (3.13+): "Every subinterpreter copy module holds main-owned objects (init_interp == 0 everywhere)".
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void S1_MainAndBCopyTheFirstImportersObjects(string v, int owner)
    {
        var t = Run(v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X));
        t.AssertAllOk();
        var s = t.Final;
        var o = t.ObserveFinal();
        foreach (var i in new[] { 0, 2 })
        {
            Assert.Equal(owner, St.Mod(o, i, X).InitInterp);
            Assert.Equal(1, St.Mod(o, i, X).InitializedCount);
            foreach (var a in new[] { Attr.Obj, Attr.Error, Attr.Func })
            {
                Assert.Equal(St.Value(s, 1, X, a), St.Value(s, i, X, a));
                Assert.Equal(owner, s.Obj(St.Value(s, i, X, a)).Owner);
            }
            // the functions' __self__ is the module the init created, in the interpreter that ran it
            var self = s.Obj(s.Obj(St.Value(s, i, X, Attr.Func)).Self);
            Assert.True(self.IsInitCreatedModule);
            Assert.Equal(owner, self.Owner);
        }
        Assert.Single(t.Inits(2, X, InitKind.Init));
        Assert.Empty(t.Inits(3, X));
        Assert.Empty(t.Inits(4, X));
    }

    // S1 continued: "A is destroyed. m_copy is cleared (T11). The A-owned objects survive in main and B ...
    //   main's next re-import runs the init again, giving new main-owned objects. B's old module still holds the A objects.
    //   3.12.1 then segfaults at exit ... 3.10.13 and 3.11.7 do not crash here".
    // S3: "No crash was observed in 3.13.0 in any scenario run here"; O7/O8 give 3.13's m_copy (kept) and re-import (no init).
    [Theory]
    [InlineData(V310, true, false)]
    [InlineData(V311, true, false)]
    [InlineData(V312, true, true)]
    [InlineData(V313, false, false)]
    public void S1_AfterTheFirstImporterEndsMainReinitsBKeepsItsObjectsAnd312SegfaultsAtExit(string v, bool legacy, bool segfault)
    {
        var t = Run(v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Del(0, X), Imp(0, X));
        t.AssertAllOk();

        // m_copy cleared by the teardown (<=3.12); kept (3.13)
        Assert.Equal(legacy, St.MCopy(t[5].State, X) is null);
        // main's re-import: the init runs again in main (<=3.12), a copy (3.13)
        Assert.Equal(legacy, t.Inits(7, X, InitKind.Init).Any(e => e.Interp == 0));
        var o = t.ObserveFinal();
        Assert.Equal(0, St.Mod(o, 0, X).InitInterp);
        Assert.Equal(legacy ? 2 : 1, St.Mod(o, 0, X).InitSerial);
        // B's old module still holds A's objects (<=3.12); main's in 3.13
        Assert.Equal(legacy ? 1 : 0, St.Mod(o, 2, X).InitInterp);
        Assert.Equal(1, St.Mod(o, 2, X).InitSerial);

        var exit = t.Exit();
        if (segfault)
        {
            t.AssertCrash(exit, CrashKind.Segfault);
        }
        else
        {
            Assert.Equal(OutcomeKind.Ok, exit.Kind);
        }
    }

    // S1': "J imports X first. J re-imports X (after del sys.modules). The copy module replaces J's MBI slot.
    //       destroy(J) does not clear m_copy. Any later import copies J's dead objects." [exp:exp11]
    // T11: "Main imports X: it copies m_copy from the dead J, so the values have init_interp == J and the init does not run
    //       again. Verified in 3.10.13, 3.11.7 and 3.12.1 (no crash in that run)". In 3.13 the init ran under main (S3).
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void S1Prime_AReimportInJKeepsTheMCopyOfDeadJAliveAndMainCopiesIt(string v, int owner)
    {
        var t = Run(v, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1), Imp(0, X));
        t.AssertAllOk();
        // the re-import in J is a copy: J's modules-by-index slot no longer holds an init-created module
        Assert.Empty(t.Inits(3, X));
        var idx = t[3].State.Defs[D(X)].MIndex;
        Assert.False(t[3].State.Obj(t[3].State.Interps[1].Mbi(idx)).IsInitCreatedModule);
        // destroy(J) leaves m_copy alone
        Assert.DoesNotContain(t[4].Events.OfType<MCopyChanged>(), e => e.Def == D(X));
        Assert.Equal(owner, St.MCopyOwner(t[4].State, X));
        // main copies J's objects, without running the init
        Assert.Empty(t.Inits(5, X));
        var o = t.ObserveFinal();
        Assert.Equal(owner, St.Mod(o, 0, X).InitInterp);
        Assert.False(St.Mod(o, 0, X).InitCreated);
        Assert.Equal(1, St.Mod(o, 0, X).InitializedCount);
        // "no crash in that run" (a run ends with the process exit)
        Assert.Equal(OutcomeKind.Ok, t.Exit().Kind);
    }

    // S2: "Isolated S, with the override: import X first (the init runs in S with S's allocator). main: import X. main's dict
    //      now holds S-allocated objects. destroy(S). main finalization frees those objects with the wrong allocator: abort
    //      'free(): invalid pointer' at exit [exp:exp4-d 3.12.1]". 3.13: S3, "the dangling-owner crashes of S1 and S2 disappear".
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void S2_MainHoldingIsolatedInterpretersObjectsAbortsAtExitOnlyIn312(string v, bool aborts)
    {
        var t = Run(v, New(1, InterpKind.IsolatedOverride), Imp(1, X), Imp(0, X), End(1));
        t.AssertAllOk();
        var s = t[2].State;
        foreach (var a in new[] { Attr.Obj, Attr.Error, Attr.Func })
        {
            var val = s.Obj(St.Value(s, 0, X, a));
            Assert.Equal(aborts ? 1 : 0, val.Owner);
            Assert.Equal(aborts ? 1 : 0, val.Domain);
        }
        var exit = t.Exit();
        if (aborts)
        {
            t.AssertCrash(exit, CrashKind.Abort);
            Assert.Contains("free(): invalid pointer", exit.Message);
        }
        else
        {
            Assert.Equal(OutcomeKind.Ok, exit.Kind);
        }
    }

    // S3 (3.13+): "Every subinterpreter copy module holds main-owned objects (init_interp == 0 everywhere) [exp:exp2 3.13, exp9 3.13]".
    //   "No crash was observed in 3.13.0 in any scenario run here."
    // O3: func.__self__ is module for the first importer in a subinterpreter: True/True/False.
    [Theory]
    [InlineData(V311, false)]
    [InlineData(V312, false)]
    [InlineData(V313, true)]
    public void S3_EverySubinterpreterModuleHoldsMainOwnedObjectsOnlyIn313(string v, bool allMainOwned)
    {
        // exp2 (sub first, then main and another sub) and exp9 (A imports, B renames, A destroyed)
        var t = Run(v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), Imp(2, Alias), End(1));
        t.AssertAllOk();
        var o4 = t.Observe(5);
        var mods = o4.Modules.Where(m => m.Mod == X || m.Mod == Alias).ToList();
        Assert.Equal(4, mods.Count); // sub1, main, sub2 hold X; sub2 holds the alias
        Assert.Equal(allMainOwned, mods.All(m => m.InitInterp == 0));
        Assert.Equal(allMainOwned, o4.Modules.Where(m => m.I != 0).All(m => !m.InitCreated));
        Assert.Equal(allMainOwned, t.Steps.SelectMany(x => x.Events.OfType<InitRan>()).Where(e => e.Kind == InitKind.Init).All(e => e.Interp == 0));
        if (allMainOwned) Assert.Equal(OutcomeKind.Ok, t.Exit().Kind);
    }

    // S3 / §4 table, F-3.13 "Foreign decref of shared values (no free)? yes: subinterpreter teardown decrefs main-owned values";
    //   "Foreign free or replacement of m_copy? no (every write and release of m_copy happens under main)".
    [Fact]
    public void S3_313SubinterpreterTeardownDecrefsButNeverFreesMainOwnedValues()
    {
        var t = Run(V313, New(1), Imp(1, X), Imp(0, X), End(1));
        t.AssertAllOk();
        var end = t.Refs(3).Where(e => e.Actor == 1 && e.Object.Owner == 0 && e.Object.Kind != ObjKind.Module && e.Object.Kind != ObjKind.Dict).ToList();
        Assert.Contains(end, e => e.Op == RefOp.Decref);
        Assert.DoesNotContain(end, e => e.Op == RefOp.Free);
        Assert.DoesNotContain(t.Steps.SelectMany(x => x.Events.OfType<MCopyChanged>()), e => e.Actor != 0);
    }
    // §2.2 "Observed crashes in 3.12.1": "a segfault at process exit after a subinterpreter that ran an init has been
    //   destroyed (exp2, exp3-cross, exp5-clear, exp7, exp8: exit code 139)"; S1: "The same crash occurs for exp3-cross,
    //   exp5-clear, exp7 (a builtin) and exp8 (_testsinglephase) on 3.12.1"; "3.10.13 and 3.11.7 do not crash here";
    //   3.13.0: "No crash was observed in 3.13.0 in any scenario run here".
    //   exp3-cross: main imports X, A imports the alias (init in A), main re-imports X (O6: A's objects), A is destroyed.
    //   exp5-clear: main imports X, A clear_extension + re-import (init in A), main re-imports (copies A's objects), A destroyed.
    //   exp7: a single-phase builtin imported first in a legacy subinterpreter, then in main, then the subinterpreter destroyed.
    [Theory]
    [InlineData(V311, "exp3-cross", false)]
    [InlineData(V312, "exp3-cross", true)]
    [InlineData(V313, "exp3-cross", false)]
    [InlineData(V312, "exp5-clear", true)]
    [InlineData(V313, "exp5-clear", false)]
    [InlineData(V311, "exp7", false)]
    [InlineData(V312, "exp7", true)]
    [InlineData(V313, "exp7", false)]
    public void S1_OtherExperimentsSegfaultAtExitOnlyIn312(string v, string exp, bool segfault)
    {
        var t = exp switch
        {
            "exp3-cross" => Run(v, Imp(0, X), New(1), Imp(1, Alias), Del(0, X), Imp(0, X), End(1)),
            "exp5-clear" => Run(v, Imp(0, X), New(1), Clear(1, X), Imp(1, X), Del(0, X), Imp(0, X), End(1)),
            _ => Run(v, New(1), Imp(1, Builtin), Imp(0, Builtin), End(1)),
        };
        t.AssertAllOk();
        var exit = t.Exit();
        if (segfault) t.AssertCrash(exit, CrashKind.Segfault);
        else Assert.Equal(OutcomeKind.Ok, exit.Kind);
    }
}
