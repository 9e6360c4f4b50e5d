namespace Verify.Model;

/// <summary>
/// The HOWTO's opt-out ("Limiting to One Module Object per Process"), applied to every single-phase module: a static
/// <c>loaded</c> flag in the module's C globals makes any second load in the process fail with ImportError, so there is
/// only ever one module object, made and owned by its importer, and nothing to cache or copy. Choices (the HOWTO states
/// the flag only for multi-phase exec): the flag is the C-globals group's, so a rename or a copied def sharing the globals
/// is refused too; it is never reset (CPython never resets C statics), so once the first module is gone, no interpreter
/// can import the module again; <c>clear_extension</c> finds no record and does nothing.
/// </summary>
public sealed class HowtoOptOut : FixStrategy
{
    public override string Name => "fix-opt-out";
    public override string Summary => "HOWTO opt-out for every legacy module: one module object per process, any second load raises ImportError";
    public override string Rationale => "docs/strategies.md#opt-out-fix-opt-out";

    protected override ObjId CreateSinglePhase(Machine m, int interp, int module)
    {
        CheckBeforeInit(m, interp, module);
        var d = m.Catalogue.DefIndexOf(module);
        var group = m.Catalogue.Defs[d].Globals;
        if (m.Globals(group).Loaded) throw Raise(m, module, "cannot load module more than once per process");
        var mod = m.RunInit(module, InitKind.Init);
        m.SetGlobals(group, m.Globals(group) with { Loaded = true });
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, m.Def(d).MIndex, mod);
        return mod;
    }

    protected override void ClearCachedExtension(Machine m, int interp, int module) { }

    protected override void FinalizeRuntime(Machine m)
    {
        DropCacheKeys(m);
    }
}
