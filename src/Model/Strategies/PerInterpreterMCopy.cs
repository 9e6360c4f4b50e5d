namespace Verify.Model;

/// <summary>
/// Strategy (b) of gh-101758: the def, its <c>m_init</c>, <c>m_index</c> and the extension cache stay process-wide, but
/// <c>m_copy</c> is kept per interpreter for every module (what 3.12 did for <c>sys</c>/<c>builtins</c> only). A cache hit
/// in an interpreter that has no <c>m_copy</c> of its own finds nothing to copy from and loads in full, as 3.11 does after
/// a teardown cleared <c>m_copy</c>: the init runs again there (semantics document §4, T3).
/// </summary>
public sealed class PerInterpreterMCopy : FixStrategy
{
    public override string Name => "fix-per-interp-m-copy";
    public override string Summary => "(b) m_copy per interpreter, def and cache shared; the init runs again in each interpreter";
    public override string Rationale => "docs/strategies.md#b-fix-per-interp-m-copy";

    protected override ObjId CreateSinglePhase(Machine m, int interp, int module)
    {
        CheckBeforeInit(m, interp, module);
        var d = m.Catalogue.DefIndexOf(module);
        var def = m.Catalogue.Defs[d];
        if (m.Cache(module).Present)
        {
            if (def.MSize == -1)
            {
                if (m.OwnMCopy(interp, d).IsObject) return CopyFromCache(m, interp, module, m.OwnMCopy(interp, d));
            }
            else if (m.Def(d).MInit)
            {
                return ReinitFromCache(m, interp, module);
            }
        }
        // 3.11's fix-up, in the importer, with this interpreter's own m_copy in place of the def's.
        var mod = m.RunInit(module, InitKind.Init);
        m.SetDef(d, m.Def(d) with { MInit = true });
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, m.Def(d).MIndex, mod);
        if (interp == Interp.Main || def.MSize == -1)
        {
            if (def.MSize == -1) m.SetOwnMCopy(interp, d, m.CopyDict(m[mod].Dict));
            m.SetCache(module, CacheEntry.OfDef);
        }
        return mod;
    }

    /// <summary>
    /// T10: the key and <c>m_init</c> go for everyone (they are shared); only this interpreter's <c>m_copy</c> and slot are
    /// dropped. Other interpreters keep their copies, which a later import of the key no longer finds.
    /// </summary>
    protected override void ClearCachedExtension(Machine m, int interp, int module)
    {
        if (!m.Cache(module).Present) return;
        var d = m.Catalogue.DefIndexOf(module);
        m.SetDef(d, m.Def(d) with { MInit = false });
        m.SetOwnMCopy(interp, d, ObjId.None);
        m.SetMbi(interp, m.Def(d).MIndex, ObjId.None);
        m.SetCache(module, CacheEntry.Absent);
    }

    protected override void DropOwnTables(Machine m, int interp) => m.ClearOwnTables(interp);

    protected override void FinalizeRuntime(Machine m)
    {
        DropCacheKeys(m);
    }
}
