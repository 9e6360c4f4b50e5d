namespace Verify.Model;

/// <summary>
/// CPython 3.13 (3.13.0; also current main; document §2.3): every extension init runs under main
/// (gh-117953, PR #118157), the cache value is a record owning its own copy of the dict and its owner's
/// id (PR #118532), and <c>def.m_copy</c> is a second reference to the newest record's copy. A
/// subinterpreter therefore holds only copy modules, filled with main's objects (S3).
/// </summary>
public sealed class Cpython313 : Semantics
{
    public override string Name => "cpython-3.13";
    public override IReadOnlyList<string> Aliases => ["cpython-main"];
    public override string Summary => "every init runs under main; cache records own a main-owned copy; subinterpreters get copies of main's objects";

    protected override bool InitsRunUnderMain => true;

    // _Py_Finalize runs finalize_modules(main) and only then finalize_subinterpreters (3.13-era pylifecycle.c). Checked on
    // 3.13.0 with gdb: main's module dict is cleared (finalize_modules_clear_weaklist) before the remaining isolated
    // interpreter's Py_EndInterpreter, which then frees main's objects its copy module held last (open-313-foreign-string-free).
    protected override bool EndsSubinterpretersAfterMainModules => true;

    // Own obmalloc still hands a foreign pointer to libc. No 3.13.0 scenario crashed (S3), and the
    // untrack-at-teardown fix of gh-116510 predates it [inf], so a dead owner's free is not predicted to crash.
    public override CrashKind? CrashFor(HazardKind hazard) =>
        hazard == HazardKind.ForeignAllocatorFree ? CrashKind.Abort : null;

    /// <summary>T9: <c>_PyImport_FixupBuiltin</c> caches a CORE record without a dict (once), then modules-by-index and <c>sys.modules</c>.</summary>
    protected override void CreateCoreModules(Machine m, int interp) => CreateCoreModulesWithCoreRecords(m, interp);

    protected override ObjId CreateSinglePhase(Machine m, int interp, int module)
    {
        var d = m.Catalogue.DefIndexOf(module);
        var def = m.Catalogue.Defs[d];
        if (m.Cache(module).Present)
        {
            if (m.CheckOn(interp)) throw Refuse(m, module);
            // T2/T3: reload_singlephase_extension. Reads go through the def, not the record (last writer wins), but the
            // modules-by-index slot is the record's m_index (_get_cached_module_index): after clear_extension reset the
            // def's index and another key's init took a new one, a hit on an older key still writes the old slot.
            // Checked on 3.13.0 (random conformance run, seed 2026, run 733): main imports the alias, sub2 clears
            // _testsinglephase, sub1 imports _testsinglephase (new index) then the alias (a hit on the old record):
            // sub1's _testsinglephase keeps look_up_self() is module, the alias does not.
            var index = m.Cache(module).MIndex;
            if (def.MSize == -1 && m.Def(d).MCopy.IsObject) return CopyFromCache(m, interp, module, m.Def(d).MCopy, index);
            if (def.MSize >= 0 && m.Def(d).MInit) return ReinitFromCache(m, interp, module, index);
            // "A little dance": cached but nothing to load from, so the entry goes before a full load.
            // The document does not say this deletion switches to main; it runs in the importer [inf].
            DeleteRecord(m, module);
        }
        return RunUnderMain(m, interp, module);
    }

    /// <summary>T1 (<c>import_run_extension</c>): switch to main, init and cache there, switch back.</summary>
    private static ObjId RunUnderMain(Machine m, int interp, int module)
    {
        var d = m.Catalogue.DefIndexOf(module);
        var def = m.Catalogue.Defs[d];
        var switched = interp != Interp.Main;
        m.SwitchTo(Interp.Main);
        var mod = m.RunInit(module, InitKind.Init);

        // update_global_state_for_extension, under main ("main or m_size == -1" is always true here).
        var copied = def.MSize == -1 ? m.CopyDict(m[mod].Dict) : ObjId.None;
        m.SetCache(module, new CacheEntry(true, m.Def(d).MIndex, def.MSize >= 0, copied, (sbyte)(copied.IsObject ? Interp.Main : -1)));
        // fixup_cached_def: the def mirrors the record; m_init only for m_size >= 0 (O11).
        m.SetDef(d, m.Def(d) with { MInit = def.MSize >= 0 });
        if (copied.IsObject)
        {
            m.Incref(copied); // def.m_copy is a second strong reference to the record's dict (O12: refcount 2)
            m.ReplaceMCopy(d, copied); // the previous m_copy is released after, still under main
        }

        if (!switched)
        {
            // finish_singlephase_extension: main keeps the init-created module.
            m.SetMbi(Interp.Main, m.Def(d).MIndex, mod);
            m.SetSysModule(Interp.Main, module, mod);
            return mod;
        }
        m.Decref(mod); // dropped under main; it lives on only through __self__ of the functions in `copied`
        m.SwitchTo(interp);
        if (m.CheckOn(interp)) throw Refuse(m, module); // after the init: the record is already cached (O17)
        return def.MSize == -1
            ? CopyFromCache(m, interp, module, m.Def(d).MCopy)
            : ReinitFromCache(m, interp, module); // m_size >= 0: the init runs a second time, now here (O15)
    }

    /// <summary>The record's destructor: drop <c>copied</c>, drop <c>def.m_copy</c>, free the record.</summary>
    private static void DeleteRecord(Machine m, int module)
    {
        var entry = m.Cache(module);
        m.SetCache(module, CacheEntry.Absent);
        m.Decref(entry.Copied);
        m.ClearMCopy(m.Catalogue.DefIndexOf(module));
    }

    /// <summary>
    /// T10: clear <c>m_init</c>, drop <c>def.m_copy</c> here, reset <c>m_index</c> to 0 (the next init gets a new
    /// one), empty this interpreter's old slot, then delete the record under main.
    /// </summary>
    protected override void ClearCachedExtension(Machine m, int interp, int module)
    {
        if (!m.Cache(module).Present) return;
        var d = m.Catalogue.DefIndexOf(module);
        var oldIndex = m.Def(d).MIndex;
        m.SetDef(d, m.Def(d) with { MInit = false });
        m.ClearMCopy(d);
        m.SetDef(d, m.Def(d) with { MIndex = 0 });
        m.SetMbi(interp, oldIndex, ObjId.None);
        m.SwitchTo(Interp.Main);
        DeleteRecord(m, module);
        m.SwitchTo(interp);
    }

    /// <summary>T12: <c>_PyImport_Fini</c> destroys every record under main (each drops <c>copied</c> and <c>def.m_copy</c>).</summary>
    protected override void FinalizeRuntime(Machine m)
    {
        for (var k = 0; k < m.Catalogue.Modules.Count; k++)
            if (m.Cache(k).Present) DeleteRecord(m, k);
    }
}
