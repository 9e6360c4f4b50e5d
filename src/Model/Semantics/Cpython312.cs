namespace Verify.Model;

/// <summary>
/// CPython 3.12 (3.12.1; document §2.2): the 3.11 import path, plus isolated interpreters with the
/// isolation check (on a cache hit, and on a dynamic miss only after the init ran), per-interpreter
/// <c>sys</c>/<c>builtins</c> dict copies instead of their <c>m_copy</c>, and <c>clear_extension</c>.
/// Nothing else about <c>m_copy</c> changed: the fix-up and the teardown still act on it from any interpreter.
/// </summary>
public sealed class Cpython312 : Cpython311
{
    public override string Name => "cpython-3.12";
    public override IReadOnlyList<string> Aliases => [];
    public override string Summary => "3.11's m_copy handling; isolation check (after the init on a miss, none on a builtin miss); no m_copy for sys/builtins";
    public override bool HasIsolatedInterpreters => true;
    public override bool HasClearExtension => true;

    // 3.12.1 aborts on a free under the wrong obmalloc (exp4-c, exp4-d) and segfaults at exit when objects of a
    // destroyed interpreter are freed later (exp2, exp3-cross, exp5-clear, exp7, exp8: gh-116510).
    public override CrashKind? CrashFor(HazardKind hazard) => hazard switch
    {
        HazardKind.ForeignAllocatorFree => CrashKind.Abort,
        HazardKind.DeadOwnerFree => CrashKind.Segfault,
        _ => null,
    };

    /// <summary>T9 (gh-102660): still fixed up and cached, but <c>m_copy</c> stays NULL; each interpreter keeps its own dict copies.</summary>
    protected override void CreateCoreModules(Machine m, int interp)
    {
        foreach (var core in m.Catalogue.CoreModules)
        {
            var mod = BuildCoreModule(m, core);
            Fixup(m, interp, core, mod);
            KeepCoreDictCopy(m, interp, core, mod);
            m.Decref(mod);
        }
    }

    // gh-104621: the check moved into import_find_extension, so a module cached by anyone is refused too.
    protected override bool RefusesCacheHit(Machine m, int interp) => m.CheckOn(interp);

    // gh-117953 (unfixed in 3.12): the check runs after the init, and create_builtin has no check at all.
    protected override bool RefusesAfterInit(Machine m, int interp, int module) =>
        m.Catalogue.Modules[module].Origin == Origin.Dynamic && m.CheckOn(interp);

    protected override bool KeepsMCopy(Machine m, int module) => !m.Catalogue.IsCore(module);

    // gh-94673 removed gc_fini_untrack's loop: survivors stay linked to the dead interpreter's GC lists (gh-116510).
    protected override bool LeaksSurvivorsAtTeardown => false;

    /// <summary>
    /// T10: <c>m_init</c> cleared, <c>m_copy</c> dropped by the current interpreter whoever owns it (D4),
    /// <c>m_index</c> kept, this interpreter's modules-by-index slot emptied, the key removed.
    /// </summary>
    protected override void ClearCachedExtension(Machine m, int interp, int module)
    {
        if (!m.Cache(module).Present) return;
        var d = m.Catalogue.DefIndexOf(module);
        m.SetDef(d, m.Def(d) with { MInit = false });
        m.ClearMCopy(d);
        m.SetMbi(interp, m.Def(d).MIndex, ObjId.None);
        m.SetCache(module, CacheEntry.Absent);
    }
}
