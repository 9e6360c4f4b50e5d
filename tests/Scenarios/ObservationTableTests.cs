using Xunit;
using Verify.Model;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Scenarios;

/// <summary>
/// §5 of the semantics document, "Observable facts that distinguish these behaviours", rows O1-O24.
/// Expected values are the table's, per version (3.10/3.11 | 3.12.1 | 3.13.0).
/// </summary>
public class ObservationTableTests
{
    // O1: row "id(sub.X.obj) == id(main.X.obj) after both import an m_size==-1 module": True (shallow) | True | True.
    // T3: "Each interpreter gets a new module object and dict".
    [Theory]
    [InlineData(V310, false)]
    [InlineData(V311, false)]
    [InlineData(V312, false)]
    [InlineData(V313, false)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, true)]
    public void O1_BothInterpretersSeeTheSameObjButOwnModuleAndDict(string v, bool subFirst)
    {
        var t = subFirst ? Run(v, New(1), Imp(1, X), Imp(0, X)) : Run(v, Imp(0, X), New(1), Imp(1, X));
        t.AssertAllOk();
        var share = t.ObserveFinal().Sharing.Single(x => x.Mod == X && x.I == 0 && x.J == 1);
        Assert.True(share.Values);
        Assert.False(share.Module);
        Assert.False(share.Dict);
        Assert.Equal(St.Value(t.Final, 0, X, Attr.Obj), St.Value(t.Final, 1, X, Attr.Obj));
        Assert.Equal(St.Value(t.Final, 0, X, Attr.Error), St.Value(t.Final, 1, X, Attr.Error));
    }

    // O2: row "which interpreter ran the init when a subinterpreter imports first": the subinterpreter (1) | the subinterpreter (1) | main (0).
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void O2_TheInitOfASubinterpretersFirstImportRunsInTheSubinterpreterUntil313(string v, int initInterp)
    {
        var t = Run(v, New(1), Imp(1, X));
        t.AssertAllOk();
        var init = Assert.Single(t.Inits(1, X, InitKind.Init));
        Assert.Equal(initInterp, init.Interp);
        Assert.Equal(initInterp, St.Mod(t.ObserveFinal(), 1, X).InitInterp);
        Assert.Equal(initInterp == 0, t[1].Events.OfType<Switched>().Any(e => e.From == 1 && e.To == 0));
    }

    // O3: row "sub.X.func.__self__ is sub.X for the first importer in a subinterpreter": True | True | False (always a copy).
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O3_TheFirstImportersModuleIsInitCreatedUntil313(string v, bool initCreated)
    {
        var t = Run(v, New(1), Imp(1, X));
        t.AssertAllOk();
        Assert.Equal(initCreated, St.Mod(t.ObserveFinal(), 1, X).InitCreated);
        Assert.Equal(initCreated, St.Module(t.Final, 1, X).IsInitCreatedModule);
    }

    // O4: row "_tsp.initialized_count() after main import, then a subinterpreter import": 1 | 1 | 1.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O4_ASubinterpreterImportAfterMainDoesNotRunTheInit(string v)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X));
        t.AssertAllOk();
        var o = t.ObserveFinal();
        Assert.Equal(1, St.Mod(o, 0, X).InitializedCount);
        Assert.Equal(1, St.Mod(o, 1, X).InitializedCount);
        Assert.Empty(t.Inits(2));
    }

    // O5: row "the count after a rename-import (_basic_wrapper) in a subinterpreter": 3.10/3.11: 2 (probe, init in the
    //     subinterpreter); 3.12.1: 2, init in the subinterpreter (sum.__self__ is module True); 3.13.0: 2, init in main (False).
    [Theory]
    [InlineData(V310, 1, true)]
    [InlineData(V311, 1, true)]
    [InlineData(V312, 1, true)]
    [InlineData(V313, 0, false)]
    public void O5_ARenameImportInASubinterpreterRunsTheInitASecondTime(string v, int initInterp, bool selfIsModule)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), Imp(1, Alias));
        t.AssertAllOk();
        var m = St.Mod(t.ObserveFinal(), 1, Alias);
        Assert.Equal(2, m.InitializedCount);
        Assert.Equal(initInterp, m.InitInterp);
        Assert.Equal(initInterp, Assert.Single(t.Inits(3, Alias, InitKind.Init)).Interp);
        Assert.Equal(selfIsModule, m.InitCreated);
    }

    // O6: row "after O5, main's del+re-import: id(error) equals the subinterpreter's error":
    //     yes, subinterpreter-owned | yes, subinterpreter-owned | yes, but main-owned.
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void O6_MainsReimportAfterARenameGetsTheAliassError(string v, int owner)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), Imp(1, Alias), Del(0, X), Imp(0, X));
        t.AssertAllOk();
        var s = t.Final;
        var err = St.Value(s, 0, X, Attr.Error);
        Assert.Equal(St.Value(s, 1, Alias, Attr.Error), err);
        Assert.Equal(owner, s.Obj(err).Owner);
        Assert.Empty(t.Inits(5));
    }

    // O7: row "the def's m_copy after destroying a subinterpreter that ran the init": NULL (cleared) | NULL | unchanged.
    [Theory]
    [InlineData(V310, false)]
    [InlineData(V311, false)]
    [InlineData(V312, false)]
    [InlineData(V313, true)]
    public void O7_DestroyingTheSubinterpreterThatRanTheInitClearsMCopyUntil313(string v, bool mcopyKept)
    {
        var t = Run(v, New(1), Imp(1, X), Imp(0, X), End(1));
        t.AssertAllOk();
        Assert.True(St.DefObs(t.Observe(2), X).MCopySet);
        Assert.Equal(mcopyKept, St.DefObs(t.ObserveFinal(), X).MCopySet);
        if (mcopyKept) Assert.Equal(St.Def(t.Before(3), X).MCopy, St.Def(t.Final, X).MCopy);
    }

    // O8: row "main's re-import after O7: does the init run again (init_serial / initialized_count + 1)?": yes | yes | no.
    // Also §5's recipe: "(True, 2) on 3.12.1 and (False, 1) on 3.13.0" (O3 and initialized_count after the re-import).
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O8_MainsReimportAfterTheTeardownRunsTheInitAgainUntil313(string v, bool reinit)
    {
        // exp2: A imports first (A1), main (M1) and B (B1) copy, A is destroyed (M2a), main re-imports (M2c).
        // B keeps holding A's objects, as in the experiment (S1: "B's old module still holds the A objects").
        var t = Run(v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Del(0, X), Imp(0, X));
        t.AssertAllOk();
        Assert.Equal(reinit, t.Inits(7, X, InitKind.Init).Any());
        var m = St.Mod(t.ObserveFinal(), 0, X);
        Assert.Equal(reinit ? 2 : 1, m.InitializedCount);
        Assert.Equal(reinit ? 2 : 1, m.InitSerial);
    }

    // §5 recipe: "1. In a legacy subinterpreter, run import _testsinglephase first ... 2. sum.__self__ is _testsinglephase
    //   ... 3. Destroy that interpreter. 4. Run import _testsinglephase in main and read initialized_count(): 2 on 3.12,
    //   1 on 3.13". "exp10_recipe.py gives (True, 2) on 3.12.1 and (False, 1) on 3.13.0".
    [Theory]
    [InlineData(V312, true, 2)]
    [InlineData(V313, false, 1)]
    public void Recipe_TellsThe312And313MachineriesApart(string v, bool selfIsModule, int count)
    {
        var t = Run(v, New(1), Imp(1, X), End(1), Imp(0, X));
        t.AssertAllOk();
        Assert.Equal(selfIsModule, St.Mod(t.Observe(1), 1, X).InitCreated);
        Assert.Equal(count, St.Mod(t.ObserveFinal(), 0, X).InitializedCount);
    }

    // O9: row "process exit after O7, with main or B holding the objects": clean | segfault (139) | clean.
    [Theory]
    [InlineData(V310, 0, false)]
    [InlineData(V311, 0, false)]
    [InlineData(V312, 0, true)]
    [InlineData(V313, 0, false)]
    [InlineData(V311, 2, false)]
    [InlineData(V312, 2, true)]
    [InlineData(V313, 2, false)]
    public void O9_ExitAfterTheInitRunnerWasDestroyedSegfaultsOnlyIn312(string v, int holder, bool segfault)
    {
        var t = Run(v, New(1), New(2), Imp(1, X), Imp(holder, X), End(1));
        t.AssertAllOk();
        var exit = t.Exit();
        if (segfault) t.AssertCrash(exit, CrashKind.Segfault);
        else Assert.Equal(OutcomeKind.Ok, exit.Kind);
    }

    // O10: row "look_up_self() is mod (PyState_FindModule) in each interpreter": True for the latest module per def per
    //      interpreter; after a rename, the original module's look_up_self() returns the alias | same | same.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O10_LookUpSelfIsEachInterpretersLatestModuleAndARenameRepointsIt(string v)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), Imp(0, Alias));
        t.AssertAllOk();
        var o2 = t.Observe(2);
        Assert.True(St.Mod(o2, 0, X).LookUpSelfIsModule);
        Assert.True(St.Mod(o2, 1, X).LookUpSelfIsModule);

        var o = t.ObserveFinal();
        Assert.False(St.Mod(o, 0, X).LookUpSelfIsModule);
        Assert.True(St.Mod(o, 0, Alias).LookUpSelfIsModule);
        Assert.Equal(St.SysModule(t.Final, 0, Alias), Observer.LookUpSelf(t.Final, Cat, 0, M(X)));
        // the rename happened in main only: the subinterpreter's slot is untouched
        Assert.True(St.Mod(o, 1, X).LookUpSelfIsModule);
    }

    // O10, 3.13.0 column: "after clear_extension, False for old modules (new m_index)"; 3.12.1: "same" as 3.10/3.11
    // (True for the latest module per def per interpreter; clear_extension empties only the current interpreter's slot, T10).
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O10_AfterClearExtensionOldModulesLoseLookUpSelfOnlyIn313(string v, bool mainStillFound)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), Clear(1, X), Del(1, X), Imp(1, X));
        t.AssertAllOk();
        var o = t.ObserveFinal();
        Assert.Equal(mainStillFound, St.Mod(o, 0, X).LookUpSelfIsModule);
        Assert.True(St.Mod(o, 1, X).LookUpSelfIsModule);
    }

    // O11: row "probe m_init_set for m_size==-1": 1 | 1 | 0.
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O11_MInitIsSetForMSizeMinusOneUntil313(string v, bool mInit)
    {
        var t = Run(v, Imp(0, X));
        t.AssertAllOk();
        Assert.Equal(mInit, St.DefObs(t.ObserveFinal(), X).MInit);
    }

    // O12: row "refcount of m_copy (via C)": 1 | 1 | 2 (record + def).
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 2)]
    public void O12_TheMCopyRefcountIsTwoIn313(string v, int refcount)
    {
        var t = Run(v, Imp(0, X));
        t.AssertAllOk();
        Assert.Equal(refcount, St.DefObs(t.ObserveFinal(), X).MCopyRefcount);
    }

    // O13: row "sys def m_copy at startup; after creating a subinterpreter; after destroying it":
    //      set; replaced by the subinterpreter's sys dict; NULL | NULL throughout | NULL throughout.
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, false)]
    [InlineData(V313, false)]
    public void O13_TheSysMCopyFollowsInterpreterCreationOnlyBefore312(string v, bool tracks)
    {
        var t = Run(v, New(1), End(1));
        t.AssertAllOk();
        var atStart = St.MCopy(t.Initial, "sys");
        var afterNew = St.MCopy(t[0].State, "sys");
        var afterEnd = St.MCopy(t[1].State, "sys");
        if (tracks)
        {
            Assert.Equal(0, (int?)atStart?.Owner);
            Assert.Equal(1, (int?)afterNew?.Owner);
            Assert.Null(afterEnd);
        }
        else
        {
            Assert.Null(atStart);
            Assert.Null(afterNew);
            Assert.Null(afterEnd);
        }
    }

    // O14: row "python -v: 'import X # previously loaded' on a subinterpreter's second import of an m_size>=0 module that
    //      no one else imported": absent (not cached) | absent | present (cached via main).
    // The -v message is printed on a cache hit (T2 step 4; T6 "-v then prints previously loaded"): expressed as "the key
    // is cached before the second import, and that import calls m_init (a re-init) instead of a full load".
    [Theory]
    [InlineData(V310, Reinit, false)]
    [InlineData(V311, Reinit, false)]
    [InlineData(V312, Reinit, false)]
    [InlineData(V313, Reinit, true)]
    [InlineData(V311, WithState, false)]
    [InlineData(V312, WithState, false)]
    [InlineData(V313, WithState, true)]
    public void O14_ASubinterpretersSecondImportOfAReinitModuleIsACacheHitOnlyIn313(string v, string mod, bool previouslyLoaded)
    {
        var t = Run(v, New(1), Imp(1, mod), Del(1, mod), Imp(1, mod));
        t.AssertAllOk();
        Assert.Equal(previouslyLoaded, St.Cached(t.Before(3), mod));
        Assert.Equal(previouslyLoaded, !t.Inits(3, mod, InitKind.Init).Any());
        Assert.Equal(previouslyLoaded, t.Inits(3, mod, InitKind.Reinit).Any(e => e.Interp == 1));
    }

    // O15: row "how many times an m_size>=0 init runs on a subinterpreter's first import": 1 (in the subinterpreter) | 1 |
    //      2 (main, then the subinterpreter).
    [Theory]
    [InlineData(V310, Reinit, new[] { 1 })]
    [InlineData(V311, Reinit, new[] { 1 })]
    [InlineData(V312, Reinit, new[] { 1 })]
    [InlineData(V313, Reinit, new[] { 0, 1 })]
    [InlineData(V311, WithState, new[] { 1 })]
    [InlineData(V312, WithState, new[] { 1 })]
    [InlineData(V313, WithState, new[] { 0, 1 })]
    public void O15_AReinitModulesInitRunsTwiceOnASubinterpretersFirstImportIn313(string v, string mod, int[] where)
    {
        var t = Run(v, New(1), Imp(1, mod));
        t.AssertAllOk();
        Assert.Equal(where, t.Inits(1, mod).Select(e => e.Interp).ToArray());
        Assert.Equal(where.Length, St.Mod(t.ObserveFinal(), 1, mod).InitializedCount);
    }

    // O16: row "multi-phase PyInit_* runs in which interpreter for a subinterpreter import; exec runs where":
    //      sub / sub | sub / sub | main / sub.
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void O16_AMultiPhasePyInitRunsInMainIn313ButExecAlwaysRunsInTheImporter(string v, int pyInitInterp)
    {
        var t = Run(v, New(1), Imp(1, Multi));
        t.AssertAllOk();
        Assert.Equal(pyInitInterp, Assert.Single(t.Inits(1, Multi, InitKind.MultiPhaseInit)).Interp);
        Assert.Equal(1, Assert.Single(t.Inits(1, Multi, InitKind.Exec)).Interp);
    }

    // O17: row "isolated interpreter, module not cached: ImportError raised? does the init run, and where? is the result
    //      cached (does main's next import re-run the init)?": n/a | ImportError; init ran in the isolated interpreter;
    //      not cached (main re-runs the init) | ImportError; init ran in main; cached (main's import is a copy).
    [Theory]
    [InlineData(V312, 1, false)]
    [InlineData(V313, 0, true)]
    public void O17_AnIsolatedMissIsRefusedAfterTheInitRan(string v, int initInterp, bool cached)
    {
        var t = Run(v, New(1, InterpKind.Isolated), Imp(1, X), Imp(0, X));
        Assert.Equal(OutcomeKind.ImportError, t[1].Outcome.Kind);
        Assert.Equal($"module {X} does not support loading in subinterpreters", t[1].Outcome.Message);
        Assert.Equal(initInterp, Assert.Single(t.Inits(1, X, InitKind.Init)).Interp);
        Assert.Equal(cached, St.Cached(t[1].State, X));
        Assert.True(St.SysModule(t[1].State, 1, X).IsNone);
        // T1 3.12: "The def keeps the m_index it was given, the C globals keep whatever the init did"
        Assert.NotEqual(0, St.Def(t[1].State, X).MIndex);
        Assert.Equal(1, t[1].State.Globals[Cat.DefOf(M(X)).Globals].InitCount);

        Assert.Equal(OutcomeKind.Ok, t[2].Outcome.Kind);
        Assert.Equal(!cached, t.Inits(2, X, InitKind.Init).Any());
        var m = St.Mod(t.ObserveFinal(), 0, X);
        Assert.Equal(!cached, m.InitCreated);
        Assert.Equal(2 - (cached ? 1 : 0), m.InitializedCount);
    }

    // O18: row "isolated interpreter, module already cached by main": n/a | ImportError "module X does not support loading
    //      in subinterpreters" | same.
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O18_AnIsolatedInterpreterRefusesAModuleMainCached(string v)
    {
        var t = Run(v, Imp(0, X), New(1, InterpKind.Isolated), Imp(1, X));
        Assert.Equal(OutcomeKind.ImportError, t[2].Outcome.Kind);
        Assert.Equal($"module {X} does not support loading in subinterpreters", t[2].Outcome.Message);
        Assert.Empty(t.Inits(2));
        Assert.True(St.SysModule(t[2].State, 1, X).IsNone);
    }

    // O17/O18 "n/a" for 3.10/3.11: there are no isolated interpreters (T13: "no check exists").
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void O17_O18_IsolatedInterpretersDoNotExistBefore312(string v)
    {
        var cfg = Config(v);
        Assert.NotNull(cfg.WhyDisabled(cfg.Initial(), New(1, InterpKind.Isolated)));
        Assert.NotNull(cfg.WhyDisabled(cfg.Initial(), New(1, InterpKind.IsolatedOverride)));
    }

    // O19: row "isolated interpreter, builtin single-phase module, first import anywhere": n/a | succeeds (init in the
    //      isolated interpreter) | ImportError. T8 3.12: "m_copy is owned by the isolated interpreter (its own obmalloc)";
    //      3.13: "ImportError; main's later import is a copy"; 3.12: "If something else has already cached the builtin, the
    //      isolated import is refused".
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O19_AnIsolatedFirstImportOfABuiltinSucceedsOnlyIn312(string v, bool succeeds)
    {
        var t = Run(v, New(1, InterpKind.Isolated), Imp(1, Builtin), Imp(0, Builtin));
        if (succeeds)
        {
            Assert.Equal(OutcomeKind.Ok, t[1].Outcome.Kind);
            Assert.Equal(1, Assert.Single(t.Inits(1, Builtin, InitKind.Init)).Interp);
            var mc = St.MCopy(t[1].State, Builtin);
            Assert.NotNull(mc);
            Assert.Equal(1, mc.Value.Owner);
            Assert.Equal(1, mc.Value.Domain);
            Assert.True(St.Mod(t.Observe(1), 1, Builtin).InitCreated);
        }
        else
        {
            Assert.Equal(OutcomeKind.ImportError, t[1].Outcome.Kind);
            Assert.Equal(0, Assert.Single(t.Inits(1, Builtin, InitKind.Init)).Interp);
            Assert.Equal(OutcomeKind.Ok, t[2].Outcome.Kind);
            Assert.Empty(t.Inits(2, Builtin));
            Assert.False(St.Mod(t.ObserveFinal(), 0, Builtin).InitCreated);
        }
    }

    // T8 3.12: "If something else has already cached the builtin, the isolated import is refused [exp:exp7 3.12.1 S1]".
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O19_AnIsolatedImportOfABuiltinMainCachedIsRefused(string v)
    {
        var t = Run(v, Imp(0, Builtin), New(1, InterpKind.Isolated), Imp(1, Builtin));
        Assert.Equal(OutcomeKind.ImportError, t[2].Outcome.Kind);
        Assert.Empty(t.Inits(2));
    }

    // O20: row "isolated + override (-1), rename import while main holds m_copy": n/a | abort "free(): invalid pointer" in
    //      fix_up_extension | works; the interpreter gets main-owned objects.
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O20_AnIsolatedOverrideRenameWhileMainHoldsMCopyAbortsIn312AndWorksIn313(string v, bool aborts)
    {
        var t = Run(v, Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, Alias));
        if (aborts)
        {
            t.AssertCrash(t[2].Outcome, CrashKind.Abort);
            Assert.Contains("free(): invalid pointer", t[2].Outcome.Message);
        }
        else
        {
            t.AssertAllOk();
            var m = St.Mod(t.ObserveFinal(), 1, Alias);
            Assert.Equal(0, m.InitInterp);
            Assert.False(m.InitCreated);
            var s = t.Final;
            Assert.Equal(0, s.Obj(St.Value(s, 1, Alias, Attr.Obj)).Domain);
        }
    }

    // O21: row "importlib.reload(mod) after mod.obj = 'x'": obj stays 'x'; same object | same | same.
    // T4: "So reload is a no-op: rebound attributes stay rebound, and m_copy and the C globals are untouched".
    [Theory]
    [InlineData(V310, 0)]
    [InlineData(V311, 0)]
    [InlineData(V312, 0)]
    [InlineData(V313, 0)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 1)]
    public void O21_ReloadIsANoOp(string v, int interp)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), SetObj(interp, X), Rel(interp, X));
        t.AssertAllOk();
        Assert.True(St.Mod(t.ObserveFinal(), interp, X).ObjRebound);
        Assert.Equal(t.Before(4), t[4].State);
        Assert.Empty(t.Inits(4));
    }

    // O22: row "spec re-load (_bootstrap._load) with the name in sys.modules": same object; obj reset to the m_copy value;
    //      extra attributes kept | same | same. T4b: "the init does not run".
    // Not expressible: "extra attributes kept" (the model's module dicts have only the obj/error/function slots).
    [Theory]
    [InlineData(V310, 0)]
    [InlineData(V311, 0)]
    [InlineData(V312, 0)]
    [InlineData(V313, 0)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 1)]
    public void O22_ASpecReloadResetsObjFromMCopyOnTheSameModuleObject(string v, int interp)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), SetObj(interp, X), RelSpec(interp, X));
        t.AssertAllOk();
        Assert.True(St.Mod(t.Observe(3), interp, X).ObjRebound);
        Assert.False(St.Mod(t.ObserveFinal(), interp, X).ObjRebound);
        var s = t.Final;
        Assert.Equal(s.Obj(St.Def(s, X).MCopy).Obj, St.Value(s, interp, X, Attr.Obj));
        Assert.Empty(t.Inits(4));
        // same module object: no module was made or freed by the step
        Assert.DoesNotContain(t.Refs(4), e => e.Op == RefOp.Free && e.Object.Kind == ObjKind.Module);
        Assert.Equal(t.Before(4).Heap.Count(o => o.Kind == ObjKind.Module), s.Heap.Count(o => o.Kind == ObjKind.Module));
        Assert.Equal(St.Module(t.Before(4), interp, X).Kind, St.Module(s, interp, X).Kind);
        Assert.Equal(St.Module(t.Before(4), interp, X).Def, St.Module(s, interp, X).Def);
    }

    // O23: row "opt-out module: second load (same or other interpreter)": ImportError "cannot load module more than once
    //      per process" | same | same. §2.5: "including del sys.modules[...] followed by re-import in the same interpreter,
    //      and any subinterpreter import, legacy or isolated".
    [Theory]
    [InlineData(V310, "same")]
    [InlineData(V311, "same")]
    [InlineData(V312, "same")]
    [InlineData(V313, "same")]
    [InlineData(V310, "legacy")]
    [InlineData(V311, "legacy")]
    [InlineData(V312, "legacy")]
    [InlineData(V313, "legacy")]
    [InlineData(V312, "isolated")]
    [InlineData(V313, "isolated")]
    public void O23_AnOptOutModuleRefusesASecondLoadAnywhereInTheProcess(string v, string where)
    {
        var t = where switch
        {
            "same" => Run(v, Imp(0, OptOut), Del(0, OptOut), Imp(0, OptOut)),
            "legacy" => Run(v, Imp(0, OptOut), New(1), Imp(1, OptOut)),
            _ => Run(v, Imp(0, OptOut), New(1, InterpKind.Isolated), Imp(1, OptOut)),
        };
        Assert.Equal(OutcomeKind.Ok, t[0].Outcome.Kind);
        Assert.Equal(OutcomeKind.ImportError, t[2].Outcome.Kind);
        Assert.Equal("cannot load module more than once per process", t[2].Outcome.Message);
        Assert.True(St.SysModule(t[2].State, where == "same" ? 0 : 1, OptOut).IsNone);
    }

    // O24: row "clear_extension in a subinterpreter, then re-import there: which interpreter runs the init; m_index":
    //      n/a | the subinterpreter; index unchanged | main; index reset, then a new index.
    [Theory]
    [InlineData(V312, 1, false)]
    [InlineData(V313, 0, true)]
    public void O24_ClearExtensionThenReimportInASubinterpreter(string v, int initInterp, bool newIndex)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), Clear(1, X), Del(1, X), Imp(1, X));
        t.AssertAllOk();
        var before = St.Def(t.Before(3), X).MIndex;
        Assert.NotEqual(0, before);
        Assert.Equal(newIndex ? 0 : before, St.Def(t[3].State, X).MIndex);
        // T10: "MBI[current][m_index] = None" (3.12, step 5) / "MBI[current][old index] = None" (3.13, step 4); main's slot stays
        Assert.True(t[3].State.Interps[1].Mbi(before).IsNone);
        Assert.True(t[3].State.Interps[0].Mbi(before).IsObject);
        Assert.Equal(initInterp, Assert.Single(t.Inits(5, X, InitKind.Init)).Interp);
        var after = St.Def(t.Final, X).MIndex;
        if (newIndex)
        {
            Assert.NotEqual(before, after);
            Assert.True(after > before); // "observed 23 -> 0 -> 25"
            Assert.Contains(t[5].Events.OfType<IndexAssigned>(), e => e.Def == D(X) && e.Index == after);
        }
        else
        {
            Assert.Equal(before, after);
            Assert.DoesNotContain(t[5].Events.OfType<IndexAssigned>(), e => e.Def == D(X));
        }
    }
}
