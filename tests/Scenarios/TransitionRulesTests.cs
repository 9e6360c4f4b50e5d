using Xunit;
using Verify.Model;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Scenarios;

/// <summary>Transition rules T1-T14 of the semantics document (§2, §6), where the document is explicit.</summary>
public class TransitionRulesTests
{
    // T11: "The rule applies to what MBI[J] holds at teardown, not to who ran the init. A cache-hit re-import in J (T2)
    //       overwrites MBI[J][idx] with a copy module ... ending J does not clear m_copy even though J owns it."
    //      (3.10.13, 3.11.7, 3.12.1.) Without the re-import: "If J ran the init of X, then ending J sets m_copy(X) to NULL".
    // 3.13: "ending a subinterpreter never touches m_copy".
    [Theory]
    [InlineData(V310, false, true)]
    [InlineData(V311, false, true)]
    [InlineData(V312, false, true)]
    [InlineData(V313, false, false)]
    [InlineData(V310, true, false)]
    [InlineData(V311, true, false)]
    [InlineData(V312, true, false)]
    [InlineData(V313, true, false)]
    public void T11_TeardownClearsMCopyOnlyIfModulesByIndexHoldsTheInitCreatedModuleAtTeardown(string v, bool reimport, bool cleared)
    {
        var steps = reimport
            ? new[] { New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1) }
            : new[] { New(1), Imp(1, X), End(1) };
        var t = Run(v, steps);
        t.AssertAllOk();
        var end = t.Steps.Count - 1;
        Assert.NotNull(St.MCopy(t.Before(end), X));
        Assert.Equal(cleared, St.MCopy(t.Final, X) is null);
        Assert.Equal(cleared, t[end].Events.OfType<MCopyChanged>().Any(e => e.Def == D(X) && e.New.IsNone && e.Actor == 1));
    }

    // T2 (<=3.12): "If m_copy is NULL, return 'not found' without error. create_dynamic then does a full T1: the init runs
    //   again and a new m_copy, owned by I, is installed [exp:exp2 M2c: init_serial 2]".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void T2_ACachedKeyWithANullMCopyRunsTheInitAgainInTheImporter(string v)
    {
        var t = Run(v, New(1), New(2), Imp(1, X), End(1), Imp(2, X));
        t.AssertAllOk();
        Assert.True(St.Cached(t.Before(4), X));
        Assert.Null(St.MCopy(t.Before(4), X));
        Assert.Equal(2, Assert.Single(t.Inits(4, X, InitKind.Init)).Interp);
        Assert.Equal(2, St.MCopyOwner(t.Final, X));
        Assert.Equal(2, St.Mod(t.ObserveFinal(), 2, X).InitSerial);
    }

    // T6 (<=3.12): "First import in a subinterpreter: the module is not cached, because the condition is false. Every
    //   import in a subinterpreter goes down the full load path (the init runs each time) until main imports it. After
    //   that, subinterpreter imports use the m_init hit path". 3.13: "main caches m_size >= 0 modules even when a
    //   subinterpreter imports them first".
    [Theory]
    [InlineData(V310, false)]
    [InlineData(V311, false)]
    [InlineData(V312, false)]
    [InlineData(V313, true)]
    public void T6_ASubinterpretersFirstImportOfAReinitModuleIsCachedOnlyIn313(string v, bool cached)
    {
        var t = Run(v, New(1), Imp(1, Reinit), Del(1, Reinit), Imp(1, Reinit), Imp(0, Reinit), Del(1, Reinit), Imp(1, Reinit));
        t.AssertAllOk();
        Assert.Equal(cached, St.Cached(t[1].State, Reinit));
        // each subinterpreter import before main's is a full load (<=3.12)
        Assert.Equal(!cached, t.Inits(3, Reinit, InitKind.Init).Any(e => e.Interp == 1));
        // main's import: a full init in main (<=3.12), an m_init hit in main (3.13)
        Assert.Equal(!cached, t.Inits(4, Reinit, InitKind.Init).Any(e => e.Interp == 0));
        Assert.True(St.Cached(t[4].State, Reinit));
        // after main imported it: an m_init hit in the subinterpreter, in every version
        var last = Assert.Single(t.Inits(6, Reinit));
        Assert.Equal(InitKind.Reinit, last.Kind);
        Assert.Equal(1, last.Interp);
        // m_copy is never used for m_size >= 0
        Assert.All(t.Steps, s => Assert.False(s.State.Defs[D(Reinit)].MCopy.IsObject));
    }

    // T6: "First import in main: init; fix-up puts the key in the cache and leaves m_copy alone. Each later import anywhere
    //   is a cache hit that calls def.m_init() in the importing interpreter. That gives a fresh module, runs the init again".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T6_AfterMainsFirstImportEveryImportRerunsTheInitInTheImporter(string v)
    {
        var t = Run(v, Imp(0, WithState), New(1), Imp(1, WithState), Del(0, WithState), Imp(0, WithState));
        t.AssertAllOk();
        Assert.True(St.Cached(t[0].State, WithState));
        Assert.Null(St.MCopy(t[0].State, WithState));
        Assert.Equal(InitKind.Reinit, Assert.Single(t.Inits(2, WithState)).Kind);
        Assert.Equal(1, Assert.Single(t.Inits(2, WithState)).Interp);
        Assert.Equal(0, Assert.Single(t.Inits(4, WithState, InitKind.Reinit)).Interp);
        var o = t.ObserveFinal();
        Assert.True(St.Mod(o, 1, WithState).InitCreated);
        Assert.Equal(1, St.Mod(o, 1, WithState).InitInterp);
        Assert.False(o.Sharing.Single(x => x.Mod == WithState).Values);
        Assert.Equal(3, St.Mod(o, 0, WithState).InitializedCount);
    }

    // T5: "Every key sharing the def now reads this newest m_copy. Re-importing the original name gives the alias's
    //   objects"; 3.13: "Re-importing any name that shares the def gives the newest dict ('last writer wins')".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T5_ReimportingTheOriginalNameAfterARenameGivesTheAliassObjects(string v)
    {
        var t = Run(v, Imp(0, X), Imp(0, Alias), Del(0, X), Imp(0, X));
        t.AssertAllOk();
        var s = t.Final;
        // the alias's init made new objects: before the re-import, main's X and the alias differ
        Assert.NotEqual(St.Value(t[1].State, 0, X, Attr.Obj), St.Value(t[1].State, 0, Alias, Attr.Obj));
        Assert.Equal(St.Value(s, 0, Alias, Attr.Obj), St.Value(s, 0, X, Attr.Obj));
        Assert.Equal(2, St.Mod(t.ObserveFinal(), 0, X).InitSerial);
        Assert.Empty(t.Inits(3));
        Assert.True(St.Cached(s, X));
        Assert.True(St.Cached(s, Alias));
    }

    // T5b: "copied def: independent m_index and m_copy; only the C globals are shared (the init_count is shared)".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T5b_ACopiedDefHasItsOwnIndexAndMCopyButSharesTheCGlobals(string v)
    {
        var t = Run(v, Imp(0, X), Imp(0, Copy));
        t.AssertAllOk();
        var s = t.Final;
        Assert.NotEqual(St.Def(s, X).MIndex, St.Def(s, Copy).MIndex);
        Assert.True(St.Def(s, X).MCopy.IsObject);
        Assert.True(St.Def(s, Copy).MCopy.IsObject);
        Assert.NotEqual(St.Def(s, X).MCopy, St.Def(s, Copy).MCopy);
        // X's m_copy is untouched by the copy's import
        Assert.DoesNotContain(t[1].Events.OfType<MCopyChanged>(), e => e.Def == D(X));
        var o = t.ObserveFinal();
        Assert.Equal(2, St.Mod(o, 0, X).InitializedCount);
        Assert.Equal(2, St.Mod(o, 0, Copy).InitializedCount);
        Assert.True(St.Mod(o, 0, X).LookUpSelfIsModule);
        Assert.True(St.Mod(o, 0, Copy).LookUpSelfIsModule);
    }

    // T7: "Nothing is cached, m_copy is never used, and PyState_FindModule returns NULL. Each import, in every interpreter,
    //   runs PyInit_* and exec again".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T7_MultiPhaseModulesAreNeverCachedAndEveryImportRunsPyInitAndExec(string v)
    {
        var t = Run(v, Imp(0, Multi), New(1), Imp(1, Multi), Del(0, Multi), Imp(0, Multi));
        t.AssertAllOk();
        foreach (var k in new[] { 0, 2, 4 })
        {
            Assert.Single(t.Inits(k, Multi, InitKind.MultiPhaseInit));
            Assert.Single(t.Inits(k, Multi, InitKind.Exec));
            Assert.False(St.Cached(t[k].State, Multi));
            Assert.Null(St.MCopy(t[k].State, Multi));
        }
        var o = t.ObserveFinal();
        Assert.False(St.Mod(o, 0, Multi).LookUpSelfIsModule);
        Assert.False(St.Mod(o, 1, Multi).LookUpSelfIsModule);
        Assert.True(Observer.LookUpSelf(t.Final, Cat, 0, M(Multi)).IsNone);
        Assert.False(o.Sharing.Single(x => x.Mod == Multi).Values);
    }

    // T9: 3.10/3.11 full fix-up of sys/builtins (cached); 3.12: "sys and builtins still go through the fix-up at each
    //   interpreter's creation, and still get cache entries, but their m_copy is never set"; 3.13: "caches a CORE record
    //   with no m_dict".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T9_CoreModulesAreCachedAtStartupInEveryVersion(string v)
    {
        var cfg = Config(v);
        var s = cfg.Initial();
        Assert.True(St.Cached(s, "sys"));
        Assert.True(St.Cached(s, "builtins"));
        var t = Run(v, New(1));
        Assert.True(St.Cached(t.Final, "sys"));
        Assert.Contains(t.Inits(0), e => e.Kind == InitKind.CoreCreate && e.Interp == 1 && e.Def == D("sys"));
        Assert.Contains(t.Inits(0), e => e.Kind == InitKind.CoreCreate && e.Interp == 1 && e.Def == D("builtins"));
    }

    // T1 (<=3.12): "If I is main, or m_size == -1: ... m_copy = PyDict_Copy(mod.__dict__), owned by I; extensions[...] = def".
    //    3.13: "copied = PyDict_Copy(m_dict) is owned by main, and interpid = 0".
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void T1_ASubinterpretersFirstImportCachesTheKeyAndItsMCopyOwner(string v, int owner)
    {
        var t = Run(v, New(1), Imp(1, X));
        t.AssertAllOk();
        Assert.True(St.Cached(t.Final, X));
        Assert.Equal(owner, St.MCopyOwner(t.Final, X));
        Assert.Equal(owner, St.DefObs(t.ObserveFinal(), X).MCopyOwner);
        Assert.Contains(t[1].Events.OfType<CacheChanged>(), e => e.Module == M(X) && e.Added && e.Actor == owner);
        if (owner == 0)
        {
            var rec = t.Final.Cache[M(X)];
            Assert.Equal(0, rec.CopiedOwner);
            Assert.Equal(St.Def(t.Final, X).MCopy, rec.Copied);
        }
    }

    // T1 3.13 step 6: "The init-created module is decref'd under main ... It is not put in SYS_MODULES[main] or MBI[main]."
    [Fact]
    public void T1_313ASwitchedImportLeavesNothingInMainsTables()
    {
        var t = Run(V313, New(1), Imp(1, X));
        t.AssertAllOk();
        Assert.True(St.SysModule(t.Final, 0, X).IsNone);
        Assert.True(Observer.LookUpSelf(t.Final, Cat, 0, M(X)).IsNone);
        var sw = t[1].Events.OfType<Switched>().ToList();
        Assert.Equal(new[] { (1, 0), (0, 1) }, sw.Select(e => (e.From, e.To)).ToArray());
    }

    // T12: "finalize_modules(main) drops def.m_copy for defs whose init-created module is in MBI[main]" (all versions);
    //      3.13: "_PyImport_Fini destroys the hashtable; each record destructor drops copied and any remaining def.m_copy".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T12_FinalizationDropsMainsMCopy(string v)
    {
        var t = Run(v, Imp(0, X), new Finalization());
        t.AssertAllOk();
        Assert.Null(St.MCopy(t.Final, X));
        Assert.Contains(t[1].Events.OfType<MCopyChanged>(), e => e.Def == D(X) && e.New.IsNone && e.Actor == 0);
        Assert.False(St.Cached(t.Final, X));
    }

    // T13 3.12: "Single-phase modules are refused in interpreters with the check on ... Legacy subinterpreters are never checked."
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T13_LegacySubinterpretersAreNeverChecked(string v)
    {
        var t = Run(v, New(1), Imp(1, X), Imp(1, Reinit), Imp(1, Builtin), Imp(0, X), New(2), Imp(2, X), Imp(2, Builtin));
        t.AssertAllOk();
    }

    // T13 / O18: the override turns the check off in an isolated interpreter: a cache hit is a copy, not refused.
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T13_TheOverrideLetsAnIsolatedInterpreterCopyACachedModule(string v)
    {
        var t = Run(v, Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, X));
        t.AssertAllOk();
        Assert.Empty(t.Inits(2));
        Assert.Equal(0, St.Mod(t.ObserveFinal(), 1, X).InitInterp);
    }

    // T14 / §2.5: "With a multi-phase module whose exec uses a static 'loaded' flag, the second load anywhere in the process
    //   fails ... In 3.13+ the flag is checked in the subinterpreter's exec. The only thing that ran in main was PyInit_*".
    [Fact]
    public void T14_313OptOutRefusalHappensInTheSubinterpretersExecAfterPyInitRanInMain()
    {
        var t = Run(V313, Imp(0, OptOut), New(1), Imp(1, OptOut));
        Assert.Equal(OutcomeKind.ImportError, t[2].Outcome.Kind);
        Assert.Equal(0, Assert.Single(t.Inits(2, OptOut, InitKind.MultiPhaseInit)).Interp);
        Assert.Empty(t.Inits(2, OptOut, InitKind.Exec));
    }
    // T11 step 1: "finalize_modules(J) clears sys.modules and module dicts. Values of J's copy modules, which are owned by
    //   other interpreters, are decref'd while J is current." (3.12 and 3.13: "as in 3.12"; §4: "Foreign decref of shared
    //   values (no free)? yes" in every version.)
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T11_TeardownDecrefsTheOtherInterpretersValuesOfItsCopyModulesWithoutFreeingThem(string v)
    {
        var t = Run(v, Imp(0, X), New(1), Imp(1, X), End(1));
        t.AssertAllOk();
        Assert.False(St.Module(t[2].State, 1, X).IsInitCreatedModule);
        var values = t.Refs(3).Where(e => e.Actor == 1 && e.Object.Owner == 0 && e.Object.Kind is ObjKind.List or ObjKind.Type or ObjKind.Func).ToList();
        Assert.Contains(values, e => e.Op == RefOp.Decref && e.Object.Kind == ObjKind.List);
        Assert.Contains(values, e => e.Op == RefOp.Decref && e.Object.Kind == ObjKind.Type);
        Assert.DoesNotContain(values, e => e.Op == RefOp.Free);
        // main still sees its objects, and m_copy is untouched: the copy module has no md_def
        Assert.DoesNotContain(t[3].Events.OfType<MCopyChanged>(), e => e.Def == D(X));
        Assert.Equal(1, St.Mod(t.ObserveFinal(), 0, X).InitializedCount);
    }

    // T2/T3 with a NULL m_copy after clear_extension of an alias: T10 3.12 drops m_copy and removes only the alias's key;
    //   the original key stays cached. "If m_copy is NULL: 'not found', no error, and the init runs again" (3.12);
    //   3.13: "If the key is cached but def.m_copy is NULL, delete the entry first ('a little dance'); ... then T1" (under main).
    [Theory]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void T2_AfterClearingTheAliasTheOriginalKeyRunsTheInitAgain(string v, int initInterp)
    {
        var t = Run(v, Imp(0, X), Imp(0, Alias), Clear(0, Alias), New(1), Imp(1, X));
        t.AssertAllOk();
        Assert.True(St.Cached(t.Before(4), X));
        Assert.False(St.Cached(t.Before(4), Alias));
        Assert.Null(St.MCopy(t.Before(4), X));
        Assert.Equal(initInterp, Assert.Single(t.Inits(4, X, InitKind.Init)).Interp);
        Assert.True(St.Cached(t.Final, X));
        Assert.Equal(initInterp, St.MCopyOwner(t.Final, X));
        Assert.Equal(3, St.Mod(t.ObserveFinal(), 1, X).InitializedCount);
    }
    // T1 (3.10/3.11): "DEF.m_init is set for every single-phase module, whatever its m_size" and it is set before the fix-up,
    //   so also for a subinterpreter's uncached first import; 3.13: "def.m_init = the record's m_init ... only for m_size >= 0".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T1_MInitIsSetForAReinitModuleAfterASubinterpretersFirstImport(string v)
    {
        var t = Run(v, New(1), Imp(1, Reinit));
        t.AssertAllOk();
        Assert.True(St.DefObs(t.ObserveFinal(), Reinit).MInit);
    }
    // T5 3.13: "a cache miss, so T1 runs under main and creates a new record with its own copied. def.m_copy is repointed to
    //   it; the old record keeps the old copied." (Reads go through the def: "last writer wins".)
    [Fact]
    public void T5_313ARenameRepointsMCopyToTheNewRecordAndTheOldRecordKeepsItsCopy()
    {
        var t = Run(V313, Imp(0, X), New(1), Imp(1, Alias));
        t.AssertAllOk();
        var s = t.Final;
        var old = s.Cache[M(X)];
        var fresh = s.Cache[M(Alias)];
        Assert.True(old.Copied.IsObject);
        Assert.True(fresh.Copied.IsObject);
        Assert.NotEqual(old.Copied, fresh.Copied);
        Assert.Equal(fresh.Copied, St.Def(s, X).MCopy);
        Assert.Equal(1, s.Obj(old.Copied).RefCount);
        Assert.Equal(0, old.CopiedOwner);
        Assert.Equal(0, fresh.CopiedOwner);
    }

    // T1 3.12 step 2: "In an interpreter with the check on it raises ImportError ... after the init already ran ... nothing
    //   is cached"; §6: "(3.12, dynamic only) If check(I), drop mod0 and raise ImportError. CACHE and m_copy are unchanged."
    //   3.13 (T1 step 7): "The record is already cached by then"; the init ran under main.
    [Theory]
    [InlineData(V312, 1, false)]
    [InlineData(V313, 0, true)]
    public void T13_ARefusedRenameInAnIsolatedInterpreterLeavesMCopyAloneOnlyIn312(string v, int initInterp, bool cachedAndRepointed)
    {
        var t = Run(v, Imp(0, X), New(1, InterpKind.Isolated), Imp(1, Alias));
        Assert.Equal(OutcomeKind.ImportError, t[2].Outcome.Kind);
        Assert.Equal($"module {Alias} does not support loading in subinterpreters", t[2].Outcome.Message);
        Assert.Equal(initInterp, Assert.Single(t.Inits(2, Alias, InitKind.Init)).Interp);
        Assert.Equal(cachedAndRepointed, St.Cached(t.Final, Alias));
        Assert.Equal(cachedAndRepointed, t[2].Events.OfType<MCopyChanged>().Any(e => e.Def == D(X)));
        Assert.False(t.AnyForeignDrop(2, D(X)));
        Assert.Equal(0, St.MCopyOwner(t.Final, X));
    }
}
