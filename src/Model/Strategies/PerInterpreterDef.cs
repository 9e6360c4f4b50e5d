namespace Verify.Model;

/// <summary>
/// Strategy (a) of gh-101758: every interpreter has its own copy of each <c>PyModuleDef</c>, and with it its own
/// extension cache (the cache maps a key to a def, and the def is now the interpreter's). <c>m_copy</c>, <c>m_init</c> and
/// the cached keys are per interpreter; <c>m_index</c> stays the static def's, so modules-by-index stays in step across
/// interpreters as today. The init runs in the importer, the first time each interpreter imports a key: the module's C
/// globals, which no def copy can duplicate, are initialised again (semantics document §4, T3).
/// </summary>
public sealed class PerInterpreterDef : FixStrategy
{
    public override string Name => "fix-per-interp-def";
    public override string Summary => "(a) a PyModuleDef copy per interpreter: own cache, m_init and m_copy; the init runs again in each interpreter";
    public override string Rationale => "docs/strategies.md#a-fix-per-interp-def";

    protected override ObjId CreateSinglePhase(Machine m, int interp, int module)
    {
        CheckBeforeInit(m, interp, module);
        var d = m.Catalogue.DefIndexOf(module);
        if (m.OwnsKey(interp, module))
        {
            // A hit in this interpreter's own cache: its own m_copy (m_size -1) or its own m_init (m_size >= 0).
            if (m.Catalogue.Defs[d].MSize != -1) return ReinitFromCache(m, interp, module);
            if (m.OwnMCopy(interp, d).IsObject) return CopyFromCache(m, interp, module, m.OwnMCopy(interp, d));
        }
        // The fix-up, all in the importer and on its own def copy: every interpreter caches its own keys.
        var mod = m.RunInit(module, InitKind.Init);
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, m.Def(d).MIndex, mod);
        if (m.Catalogue.Defs[d].MSize == -1) m.SetOwnMCopy(interp, d, m.CopyDict(m[mod].Dict));
        m.SetOwnKey(interp, module, true);
        return mod;
    }

    /// <summary>T10 on this interpreter's def copy only: its <c>m_copy</c>, its modules-by-index slot and its key.</summary>
    protected override void ClearCachedExtension(Machine m, int interp, int module)
    {
        if (!m.OwnsKey(interp, module)) return;
        var d = m.Catalogue.DefIndexOf(module);
        m.SetOwnMCopy(interp, d, ObjId.None);
        m.SetMbi(interp, m.Def(d).MIndex, ObjId.None);
        m.SetOwnKey(interp, module, false);
    }

    /// <summary>T11/T12: the interpreter's def copies are freed with it, each <c>m_copy</c> dropped by its owner.</summary>
    protected override void DropOwnTables(Machine m, int interp) => m.ClearOwnTables(interp);

    /// <summary>Nothing is process-wide any more but the CORE records, which hold no object.</summary>
    protected override void FinalizeRuntime(Machine m)
    {
        DropCacheKeys(m);
    }
}
