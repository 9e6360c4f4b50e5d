using Verify.Model;

namespace Verify.Checker.Symbolic;

/// <summary>
/// The C side of one CPython version for <see cref="SymMachine{T}"/>: the counterpart, method for method, of
/// <see cref="Cpython311"/>, <see cref="Cpython312"/> and <see cref="Cpython313"/> (for the single-phase
/// <c>m_size == -1</c> and core modules the encoding covers), and of the fix strategies (SymStrategies.cs).
/// </summary>
public abstract class SymVersion
{
    /// <summary>The explicit semantics this one mirrors; its crash table and flags are read from it, not copied.</summary>
    public abstract Semantics Explicit { get; }

    public CrashKind? CrashFor(HazardKind hazard) => Explicit.CrashFor(hazard);
    public bool HasIsolatedInterpreters => Explicit.HasIsolatedInterpreters;
    public bool HasClearExtension => Explicit.HasClearExtension;
    public virtual bool LeaksSurvivorsAtTeardown => false;
    public virtual bool EndsSubinterpretersAfterMainModules => false;

    public abstract void CreateCoreModules<T>(SymMachine<T> m, int interp);
    public abstract T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module);
    public abstract void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module);
    public abstract void FinalizeRuntime<T>(SymMachine<T> m);

    /// <summary>After <c>_PyImport_ClearModulesByIndex</c> at an interpreter's teardown (<c>Semantics.DropOwnTables</c>): nothing in CPython.</summary>
    public virtual void DropOwnTables<T>(SymMachine<T> m, int interp) { }

    /// <summary>The encoded counterpart of <paramref name="semantics"/>, or null if it has none.</summary>
    public static SymVersion? For(Semantics semantics) => semantics switch
    {
        Cpython312 s => new Sym312(s),
        Cpython311 s when s.GetType() == typeof(Cpython311) => new Sym311(s),
        Cpython313 s => new Sym313(s),
        PerInterpreterDef s => new SymPerInterpreterDef(s),
        PerInterpreterMCopy s => new SymPerInterpreterMCopy(s),
        HowtoOptOut s => new SymHowtoOptOut(s),
        ImmortalMCopy s => new SymImmortalMCopy(s),
        _ => null,
    };

    /// <summary>The semantics this encoding has a counterpart for, named for refusal messages.</summary>
    public static IReadOnlyList<string> EncodedNames =>
        [.. SemanticsRegistry.All.Where(s => For(s) is not null).Select(s => s.Name)];

    /// <summary>T9 as 3.13 does it (<c>Semantics.CreateCoreModulesWithCoreRecords</c>): a CORE record once, modules-by-index, sys.modules, the dict copy.</summary>
    protected static void CreateCoreModulesWithCoreRecords<T>(SymMachine<T> m, int interp)
    {
        foreach (var core in m.Cat.CoreModules)
        {
            var mod = m.BuildCoreModule(core);
            var d = m.Cat.DefIndexOf(core);
            var index = m.S.MIndex[d];
            m.When(m.A.Not(m.S.CPresent[core]), () => m.SetCache(core, m.A.True, index, m.A.False, m.NoneRef, m.NoneRef));
            m.SetMbi(interp, m.S.MIndex[d], mod);
            m.SetSysModule(interp, core, mod);
            m.KeepCoreDictCopy(interp, core, mod);
            m.Decref(mod);
        }
    }

    /// <summary><c>_PyImport_Fini</c> where the cache's values hold no object (<c>Semantics.DropCacheKeys</c>): every key goes.</summary>
    protected static void DropCacheKeys<T>(SymMachine<T> m)
    {
        for (var k = 0; k < m.Cat.Modules.Count; k++)
        {
            var module = k;
            m.When(m.S.CPresent[k], () => m.CacheAbsent(module));
        }
    }
}

/// <summary>3.10/3.11: init and fix-up in the importer.</summary>
public class Sym311(Semantics semantics) : SymVersion
{
    public override Semantics Explicit => semantics;
    public override bool LeaksSurvivorsAtTeardown => true;

    public override void CreateCoreModules<T>(SymMachine<T> m, int interp)
    {
        foreach (var core in m.Cat.CoreModules)
        {
            var mod = m.BuildCoreModule(core);
            Fixup(m, interp, core, mod);
            m.Decref(mod);
        }
    }

    public override T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module)
    {
        var a = m.A;
        var d = m.Cat.DefIndexOf(module);
        var present = m.S.CPresent[module];
        m.When(a.And(present, RefusesCacheHit(m, interp)), m.Raise);
        // T2/T3: copy from m_copy; a NULL m_copy is "not found": a full load.
        var hit = a.And(present, m.IsObj(m.S.MCopy[d]));
        var mcopy = m.S.MCopy[d];
        var result = m.WhenValue(hit, () => m.CopyFromCache(interp, module, mcopy), m.NoneRef);
        return m.WhenValue(a.Not(hit), () => LoadAndFixUp(m, interp, module), result);
    }

    private T LoadAndFixUp<T>(SymMachine<T> m, int interp, int module)
    {
        var d = m.Cat.DefIndexOf(module);
        var mod = m.RunInit(module, InitKind.Init);
        m.When(RefusesAfterInit(m, interp, module), () =>
        {
            m.Decref(mod);
            m.Raise();
        });
        m.Set(m.S.MInit, d, m.A.True);
        Fixup(m, interp, module, mod);
        return mod;
    }

    /// <summary><c>_PyImport_FixupExtensionObject</c> in the importer.</summary>
    protected void Fixup<T>(SymMachine<T> m, int interp, int module, T mod)
    {
        var d = m.Cat.DefIndexOf(module);
        var def = m.Cat.Defs[d];
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, m.S.MIndex[d], mod);
        if (interp == Interp.Main || def.MSize == -1)
        {
            if (def.MSize == -1 && KeepsMCopy(m, module))
            {
                m.ClearMCopy(d);
                m.ReplaceMCopy(d, m.CopyDict(m.Get(m.S.ODict, mod)));
            }
            m.CacheDef(module);
        }
    }

    protected virtual T RefusesCacheHit<T>(SymMachine<T> m, int interp) => m.A.False;
    protected virtual T RefusesAfterInit<T>(SymMachine<T> m, int interp, int module) => m.A.False;
    protected virtual bool KeepsMCopy<T>(SymMachine<T> m, int module) => true;

    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module) =>
        throw new InvalidOperationException($"{Explicit.Name} has no clear_extension");

    public override void FinalizeRuntime<T>(SymMachine<T> m) => DropCacheKeys(m);
}

/// <summary>3.12: the 3.11 path, the isolation check, per-interpreter core dict copies, clear_extension.</summary>
public sealed class Sym312(Semantics semantics) : Sym311(semantics)
{
    public override bool LeaksSurvivorsAtTeardown => false;

    public override void CreateCoreModules<T>(SymMachine<T> m, int interp)
    {
        foreach (var core in m.Cat.CoreModules)
        {
            var mod = m.BuildCoreModule(core);
            Fixup(m, interp, core, mod);
            m.KeepCoreDictCopy(interp, core, mod);
            m.Decref(mod);
        }
    }

    protected override T RefusesCacheHit<T>(SymMachine<T> m, int interp) => m.CheckOn(interp);

    protected override T RefusesAfterInit<T>(SymMachine<T> m, int interp, int module) =>
        m.Cat.Modules[module].Origin == Origin.Dynamic ? m.CheckOn(interp) : m.A.False;

    protected override bool KeepsMCopy<T>(SymMachine<T> m, int module) => !m.Cat.IsCore(module);

    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module)
    {
        var d = m.Cat.DefIndexOf(module);
        m.When(m.S.CPresent[module], () =>
        {
            m.Set(m.S.MInit, d, m.A.False);
            m.ClearMCopy(d);
            m.SetMbi(interp, m.S.MIndex[d], m.NoneRef);
            m.CacheAbsent(module);
        });
    }
}

/// <summary>3.13: inits under main, cache records with their own copy, def.m_copy a second reference to it.</summary>
public sealed class Sym313(Semantics semantics) : SymVersion
{
    public override Semantics Explicit => semantics;
    public override bool EndsSubinterpretersAfterMainModules => true;

    public override void CreateCoreModules<T>(SymMachine<T> m, int interp) => CreateCoreModulesWithCoreRecords(m, interp);

    public override T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module)
    {
        var a = m.A;
        var d = m.Cat.DefIndexOf(module);
        var present = m.S.CPresent[module];
        m.When(a.And(present, m.CheckOn(interp)), m.Raise);
        var index = m.S.CMIndex[module];
        var mcopy = m.S.MCopy[d];
        var hit = a.And(present, m.IsObj(mcopy));
        var result = m.WhenValue(hit, () => m.CopyFromCache(interp, module, mcopy, index), m.NoneRef);
        // "A little dance": cached but nothing to load from, so the record goes before a full load.
        m.When(a.And(present, a.Not(hit)), () => DeleteRecord(m, module));
        return m.WhenValue(a.Not(hit), () => RunUnderMain(m, interp, module), result);
    }

    private static T RunUnderMain<T>(SymMachine<T> m, int interp, int module)
    {
        var a = m.A;
        var d = m.Cat.DefIndexOf(module);
        var switched = interp != Interp.Main;
        m.Current = Interp.Main;
        var mod = m.RunInit(module, InitKind.Init);
        var copied = m.CopyDict(m.Get(m.S.ODict, mod));
        m.SetCache(module, a.True, m.S.MIndex[d], a.False, copied, a.Int(Interp.Main));
        m.Set(m.S.MInit, d, a.False);
        m.Incref(copied);
        m.ReplaceMCopy(d, copied);
        if (!switched)
        {
            m.SetMbi(Interp.Main, m.S.MIndex[d], mod);
            m.SetSysModule(Interp.Main, module, mod);
            return mod;
        }
        m.Decref(mod);
        m.Current = interp;
        m.When(m.CheckOn(interp), m.Raise);
        return m.CopyFromCache(interp, module, m.S.MCopy[d]);
    }

    private static void DeleteRecord<T>(SymMachine<T> m, int module)
    {
        var copied = m.S.CCopied[module];
        m.CacheAbsent(module);
        m.Decref(copied);
        m.ClearMCopy(m.Cat.DefIndexOf(module));
    }

    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module)
    {
        var d = m.Cat.DefIndexOf(module);
        m.When(m.S.CPresent[module], () =>
        {
            var oldIndex = m.S.MIndex[d];
            m.Set(m.S.MInit, d, m.A.False);
            m.ClearMCopy(d);
            m.Set(m.S.MIndex, d, m.A.Int(0));
            m.SetMbi(interp, oldIndex, m.NoneRef);
            m.Current = Interp.Main;
            DeleteRecord(m, module);
            m.Current = interp;
        });
    }

    public override void FinalizeRuntime<T>(SymMachine<T> m)
    {
        for (var k = 0; k < m.Cat.Modules.Count; k++)
        {
            var module = k;
            m.When(m.S.CPresent[k], () => DeleteRecord(m, module));
        }
    }
}
