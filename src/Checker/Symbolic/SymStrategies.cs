using Verify.Model;

namespace Verify.Checker.Symbolic;

/// <summary>
/// The counterpart of <see cref="FixStrategy"/>: the 3.13 runtime for everything no strategy is about (CORE records
/// and per-interpreter dict copies for sys/builtins, subinterpreters ended after main's modules), and the isolation
/// check before the init. Each strategy below mirrors its explicit class (src/Model/Strategies), effect for effect and
/// in the same order, for the single-phase <c>m_size == -1</c> modules the encoding covers.
/// </summary>
public abstract class SymFixStrategy(Semantics semantics) : SymVersion
{
    public override Semantics Explicit => semantics;
    public override bool EndsSubinterpretersAfterMainModules => true;

    public override void CreateCoreModules<T>(SymMachine<T> m, int interp) => CreateCoreModulesWithCoreRecords(m, interp);

    /// <summary><c>FixStrategy.CheckBeforeInit</c>: a checked interpreter refuses every single-phase module before anything runs.</summary>
    protected static void CheckBeforeInit<T>(SymMachine<T> m, int interp) => m.When(m.CheckOn(interp), m.Raise);

    public override void FinalizeRuntime<T>(SymMachine<T> m) => DropCacheKeys(m);
}

/// <summary><see cref="PerInterpreterDef"/>: own def copy per interpreter, so own cache keys, own <c>m_copy</c>; the init runs in the importer.</summary>
public sealed class SymPerInterpreterDef(Semantics semantics) : SymFixStrategy(semantics)
{
    public override T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module)
    {
        CheckBeforeInit(m, interp);
        var a = m.A;
        var d = m.Cat.DefIndexOf(module);
        // A hit in this interpreter's own cache, with its own m_copy.
        var own = m.S.OwnMCopy[interp][d];
        var hit = a.And(m.S.OwnKeys[interp][module], m.IsObj(own));
        var result = m.WhenValue(hit, () => m.CopyFromCache(interp, module, own), m.NoneRef);
        return m.WhenValue(a.Not(hit), () =>
        {
            // The fix-up, all in the importer and on its own def copy.
            var mod = m.RunInit(module, InitKind.Init);
            m.SetSysModule(interp, module, mod);
            m.SetMbi(interp, m.S.MIndex[d], mod);
            m.SetOwnMCopy(interp, d, m.CopyDict(m.Get(m.S.ODict, mod)));
            m.SetOwnKey(interp, module, a.True);
            return mod;
        }, result);
    }

    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module)
    {
        var d = m.Cat.DefIndexOf(module);
        m.When(m.S.OwnKeys[interp][module], () =>
        {
            m.SetOwnMCopy(interp, d, m.NoneRef);
            m.SetMbi(interp, m.S.MIndex[d], m.NoneRef);
            m.SetOwnKey(interp, module, m.A.False);
        });
    }

    public override void DropOwnTables<T>(SymMachine<T> m, int interp) => m.ClearOwnTables(interp);
}

/// <summary><see cref="PerInterpreterMCopy"/>: def and cache shared, <c>m_copy</c> per interpreter; a hit without an own copy loads in full.</summary>
public sealed class SymPerInterpreterMCopy(Semantics semantics) : SymFixStrategy(semantics)
{
    public override T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module)
    {
        CheckBeforeInit(m, interp);
        var a = m.A;
        var d = m.Cat.DefIndexOf(module);
        var own = m.S.OwnMCopy[interp][d];
        var hit = a.And(m.S.CPresent[module], m.IsObj(own));
        var result = m.WhenValue(hit, () => m.CopyFromCache(interp, module, own), m.NoneRef);
        return m.WhenValue(a.Not(hit), () =>
        {
            // 3.11's fix-up, in the importer, with this interpreter's own m_copy in place of the def's ("main or
            // m_size == -1" always holds for the m_size -1 modules encoded).
            var mod = m.RunInit(module, InitKind.Init);
            m.Set(m.S.MInit, d, a.True);
            m.SetSysModule(interp, module, mod);
            m.SetMbi(interp, m.S.MIndex[d], mod);
            m.SetOwnMCopy(interp, d, m.CopyDict(m.Get(m.S.ODict, mod)));
            m.CacheDef(module);
            return mod;
        }, result);
    }

    /// <summary>T10: the shared key and <c>m_init</c> go for everyone, only this interpreter's <c>m_copy</c> and slot.</summary>
    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module)
    {
        var d = m.Cat.DefIndexOf(module);
        m.When(m.S.CPresent[module], () =>
        {
            m.Set(m.S.MInit, d, m.A.False);
            m.SetOwnMCopy(interp, d, m.NoneRef);
            m.SetMbi(interp, m.S.MIndex[d], m.NoneRef);
            m.CacheAbsent(module);
        });
    }

    public override void DropOwnTables<T>(SymMachine<T> m, int interp) => m.ClearOwnTables(interp);
}

/// <summary><see cref="HowtoOptOut"/>: the C globals' <c>loaded</c> flag refuses any second load in the process; nothing is cached.</summary>
public sealed class SymHowtoOptOut(Semantics semantics) : SymFixStrategy(semantics)
{
    public override T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module)
    {
        CheckBeforeInit(m, interp);
        var d = m.Cat.DefIndexOf(module);
        var group = m.Cat.Defs[d].Globals;
        m.When(m.S.Loaded[group], m.Raise); // "cannot load module more than once per process", before any init
        var mod = m.RunInit(module, InitKind.Init);
        m.Set(m.S.Loaded, group, m.A.True);
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, m.S.MIndex[d], mod);
        return mod;
    }

    /// <summary><c>clear_extension</c> finds no record: nothing happens.</summary>
    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module) { }
}

/// <summary>
/// <see cref="ImmortalMCopy"/>: 3.13's init under main, <c>m_copy</c> and what it reaches made immortal, the cache by
/// def, and one module per def per interpreter.
/// </summary>
public sealed class SymImmortalMCopy(Semantics semantics) : SymFixStrategy(semantics)
{
    public override T CreateSinglePhase<T>(SymMachine<T> m, int interp, int module)
    {
        CheckBeforeInit(m, interp);
        var a = m.A;
        var d = m.Cat.DefIndexOf(module);

        // The def's module in this interpreter, if sys.modules still holds it under another name: the same object.
        var found = m.MbiAt(interp, m.S.MIndex[d]);
        var names = Enumerable.Range(0, m.Cat.Modules.Count).Where(k => m.Cat.DefIndexOf(k) == d);
        var held = a.And(m.IsObj(found), names.Select(k => a.Eq(m.S.Sys[interp][k], found)).Aggregate(a.False, a.Or));
        var result = m.WhenValue(held, () =>
        {
            m.Incref(found);
            return found;
        }, m.NoneRef);

        var mcopy = m.S.MCopy[d];
        var hit = a.And(a.Not(held), m.IsObj(mcopy));
        result = m.WhenValue(hit, () =>
        {
            m.CacheDef(module);
            return m.CopyFromCache(interp, module, mcopy);
        }, result);

        // The first load of the def: the init under main, the copy made immortal there.
        return m.WhenValue(a.And(a.Not(held), a.Not(m.IsObj(mcopy))), () =>
        {
            var switched = interp != Interp.Main;
            m.Current = Interp.Main;
            var mod = m.RunInit(module, InitKind.Init);
            var copy = m.CopyDict(m.Get(m.S.ODict, mod));
            m.Immortalize(copy);
            m.ReplaceMCopy(d, copy);
            m.Set(m.S.MInit, d, a.False);
            m.CacheDef(module);
            if (!switched)
            {
                m.SetMbi(Interp.Main, m.S.MIndex[d], mod);
                m.SetSysModule(Interp.Main, module, mod);
                return mod;
            }
            m.Decref(mod); // under main; an immortal module (a function's __self__) stays
            m.Current = interp;
            return m.CopyFromCache(interp, module, m.S.MCopy[d]);
        }, result);
    }

    /// <summary>T10: the key and <c>m_init</c> go; the immortal <c>m_copy</c> stays until the runtime ends.</summary>
    public override void ClearCachedExtension<T>(SymMachine<T> m, int interp, int module)
    {
        var d = m.Cat.DefIndexOf(module);
        m.When(m.S.CPresent[module], () =>
        {
            m.Set(m.S.MInit, d, m.A.False);
            m.CacheAbsent(module);
        });
    }

    /// <summary>T12: under main, the keys and every <c>m_copy</c> go, then the runtime releases its immortal objects.</summary>
    public override void FinalizeRuntime<T>(SymMachine<T> m)
    {
        DropCacheKeys(m);
        for (var d = 0; d < m.Cat.Defs.Count; d++) m.ClearMCopy(d);
        m.ReleaseImmortals();
    }
}
