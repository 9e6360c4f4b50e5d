namespace Verify.Model;

/// <summary>
/// Verify's own strategy (docs/strategies.md): keep 3.13's "every init runs under main", and make what the cache shares
/// immortal. When main caches an <c>m_size == -1</c> module, <c>m_copy</c> and everything it reaches (the values, and
/// through a function's <c>__self__</c> the init-created module) become immortal (PEP 683), so copying them into another
/// interpreter's module adds no reference anyone must drop: no interpreter ever decrefs or frees another's object, and a
/// module dict holds only its importer's mortal objects plus shared immortals. The cache is looked up by def, not by key,
/// so a rename copies instead of running the init again, and the immortal <c>m_copy</c> lives until the runtime ends, so
/// nothing (not even <c>clear_extension</c>) makes the init run twice. One more rule keeps <c>PyState_FindModule</c>
/// honest: an import under another name of a def whose module this interpreter already holds returns that module.
/// </summary>
public sealed class ImmortalMCopy : FixStrategy
{
    public override string Name => "fix-immortal-m-copy";
    public override string Summary => "own design: init under main, m_copy and its values immortal, cache by def; one module per def per interpreter";
    public override string Rationale => "docs/strategies.md#own-fix-immortal-m-copy";

    protected override bool InitsRunUnderMain => true;

    protected override ObjId CreateSinglePhase(Machine m, int interp, int module)
    {
        CheckBeforeInit(m, interp, module);
        var d = m.Catalogue.DefIndexOf(module);
        var def = m.Catalogue.Defs[d];

        // The def's module in this interpreter, if sys.modules still holds it under another name: the same object.
        var found = m.Mbi(interp, m.Def(d).MIndex);
        if (found.IsObject && HeldUnderAName(m, interp, d, found))
        {
            m.Incref(found);
            return found;
        }

        if (def.MSize == -1 && m.Def(d).MCopy.IsObject)
        {
            m.SetCache(module, CacheEntry.OfDef);
            return CopyFromCache(m, interp, module, m.Def(d).MCopy);
        }
        if (def.MSize >= 0 && m.Def(d).MInit && m.Cache(module).Present) return ReinitFromCache(m, interp, module);

        // The first load of the def: the init under main, the copy made immortal there.
        var switched = interp != Interp.Main;
        m.SwitchTo(Interp.Main);
        var mod = m.RunInit(module, InitKind.Init);
        if (def.MSize == -1)
        {
            var copy = m.CopyDict(m[mod].Dict);
            m.Immortalize(copy);
            m.ReplaceMCopy(d, copy);
        }
        m.SetDef(d, m.Def(d) with { MInit = def.MSize >= 0 });
        m.SetCache(module, CacheEntry.OfDef);
        if (!switched)
        {
            m.SetMbi(Interp.Main, m.Def(d).MIndex, mod);
            m.SetSysModule(Interp.Main, module, mod);
            return mod;
        }
        m.Decref(mod); // under main; an immortal module (a function's __self__) stays
        m.SwitchTo(interp);
        return def.MSize == -1
            ? CopyFromCache(m, interp, module, m.Def(d).MCopy)
            : ReinitFromCache(m, interp, module); // m_size >= 0 re-initialises here, as in 3.13
    }

    private static bool HeldUnderAName(Machine m, int interp, int def, ObjId module)
    {
        for (var k = 0; k < m.Catalogue.Modules.Count; k++)
            if (m.Catalogue.DefIndexOf(k) == def && m.SysModule(interp, k) == module) return true;
        return false;
    }

    /// <summary>
    /// T10: the key and <c>m_init</c> go, but the immortal <c>m_copy</c> cannot be released before the runtime ends: a later
    /// import copies from it, so the init does not run again (a behaviour change against 3.13, where it does).
    /// </summary>
    protected override void ClearCachedExtension(Machine m, int interp, int module)
    {
        if (!m.Cache(module).Present) return;
        var d = m.Catalogue.DefIndexOf(module);
        m.SetDef(d, m.Def(d) with { MInit = false });
        m.SetCache(module, CacheEntry.Absent);
    }

    /// <summary>T12: under main, the keys and every <c>m_copy</c> go, then the runtime releases its immortal objects.</summary>
    protected override void FinalizeRuntime(Machine m)
    {
        DropCacheKeys(m);
        for (var d = 0; d < m.Catalogue.Defs.Count; d++) m.ClearMCopy(d);
        m.ReleaseImmortals();
    }
}
