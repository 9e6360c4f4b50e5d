namespace Verify.Model;

/// <summary>
/// CPython 3.10 and 3.11 (semantics document §2.1): the init runs in the importing interpreter; the
/// fix-up there replaces <c>m_copy</c> whoever owns it; no isolation check; one allocator for all.
/// </summary>
public class Cpython311 : Semantics
{
    public override string Name => "cpython-3.11";
    public override IReadOnlyList<string> Aliases => ["cpython-3.10"];
    public override string Summary => "init and fix-up in the importer; m_copy replaced in place, even for sys/builtins at every interpreter creation (D1)";
    public override bool HasIsolatedInterpreters => false;
    public override bool HasClearExtension => false;

    // One obmalloc for every interpreter, and interpreter teardown untracks what survives it (gh-30577),
    // so neither hazard crashes 3.10/3.11 (exp2: clean exit).
    public override CrashKind? CrashFor(HazardKind hazard) => null;

    // gc_fini_untrack (bpo-46070, gh-92036): the teardown also increfs each survivor, so none is ever freed later. That is
    // the second reference to m_copy seen on 3.10.13/3.11.7 after ending the interpreter that made it (s1-prime-dead-owner).
    protected override bool LeaksSurvivorsAtTeardown => true;

    /// <summary>T9: every interpreter's <c>sys</c> and <c>builtins</c> go through the full fix-up.</summary>
    protected override void CreateCoreModules(Machine m, int interp)
    {
        foreach (var core in m.Catalogue.CoreModules)
        {
            var mod = BuildCoreModule(m, core);
            Fixup(m, interp, core, mod);
            m.Decref(mod);
        }
    }

    protected override ObjId CreateSinglePhase(Machine m, int interp, int module)
    {
        var d = m.Catalogue.DefIndexOf(module);
        if (m.Cache(module).Present)
        {
            if (RefusesCacheHit(m, interp)) throw Refuse(m, module);
            if (m.Catalogue.Defs[d].MSize == -1)
            {
                // T2/T3: copy from m_copy; a NULL m_copy (cleared by a teardown) is "not found": full load.
                if (m.Def(d).MCopy.IsObject) return CopyFromCache(m, interp, module, m.Def(d).MCopy);
            }
            else if (m.Def(d).MInit)
            {
                return ReinitFromCache(m, interp, module); // T6
            }
        }
        return LoadAndFixUp(m, interp, module);
    }

    /// <summary>T1/T5: the init runs here, in the importer, and its module is fixed up here.</summary>
    private ObjId LoadAndFixUp(Machine m, int interp, int module)
    {
        var d = m.Catalogue.DefIndexOf(module);
        var mod = m.RunInit(module, InitKind.Init);
        if (RefusesAfterInit(m, interp, module))
        {
            m.Decref(mod); // the module is discarded, but the init has run and the def keeps its index
            throw Refuse(m, module);
        }
        m.SetDef(d, m.Def(d) with { MInit = true });
        Fixup(m, interp, module, mod);
        return mod;
    }

    /// <summary>
    /// <c>_PyImport_FixupExtensionObject</c>, all while <paramref name="interp"/> is current:
    /// <c>sys.modules</c>, modules-by-index, then "if main or <c>m_size == -1</c>" (bpo-44050): drop the old
    /// <c>m_copy</c> (a decref in this interpreter, whoever owns it), copy the new one, cache the key.
    /// </summary>
    protected void Fixup(Machine m, int interp, int module, ObjId mod)
    {
        var d = m.Catalogue.DefIndexOf(module);
        var def = m.Catalogue.Defs[d];
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, m.Def(d).MIndex, mod);
        if (interp == Interp.Main || def.MSize == -1)
        {
            if (def.MSize == -1 && KeepsMCopy(m, module))
            {
                m.ClearMCopy(d);
                m.ReplaceMCopy(d, m.CopyDict(m[mod].Dict));
            }
            m.SetCache(module, CacheEntry.OfDef);
        }
    }

    /// <summary>3.12 refuses cache hits in an interpreter with the check on; 3.11 has no check.</summary>
    protected virtual bool RefusesCacheHit(Machine m, int interp) => false;

    /// <summary>3.12 refuses a dynamic miss after its init ran; 3.11 has no check.</summary>
    protected virtual bool RefusesAfterInit(Machine m, int interp, int module) => false;

    /// <summary>Whether the fix-up keeps an <c>m_copy</c> for this module; 3.12 stops doing so for sys/builtins.</summary>
    protected virtual bool KeepsMCopy(Machine m, int module) => true;

    /// <summary>T12: <c>_PyImport_Fini</c> drops the <c>extensions</c> dict; its values are the static defs, not heap objects.</summary>
    protected override void FinalizeRuntime(Machine m)
    {
        DropCacheKeys(m);
    }
}
