using Verify.Model;
using Verify.Properties;
using Action = Verify.Model.Action;

namespace Verify.Checker.Symbolic;

/// <summary>
/// Every property of <see cref="IsolationProperties"/> as a term: true where the step shows what the property looks for
/// (a violation of an always-property, a witness of a sometimes-property). Written once, against the algebra, from the
/// statements in <see cref="IsolationProperties"/>; the concrete instance is tested against the explicit checks.
/// </summary>
public static class SymProperties
{
    /// <summary>The names this encoding can judge (every property Verify has, at the time of writing).</summary>
    public static readonly IReadOnlySet<string> Encoded = new HashSet<string>
    {
        "no-cross-interpreter-decref", "no-foreign-free", "importer-owns-module-dict", "no-dead-owner", "m-copy-owner-alive",
        "init-once-per-process", "look-up-self-consistent", "no-leak-after-finalize", "refcounts-exact",
        "subinterpreter-imports-legacy-module", "subinterpreter-ends",
    };

    /// <summary>
    /// The finding of <paramref name="property"/> on a step: <paramref name="m"/> holds the state after it and its flags;
    /// <paramref name="before"/> and <paramref name="action"/> are the step's start and action (null for the initial state).
    /// </summary>
    public static T Finding<T>(Property property, SymMachine<T> m, SymState<T>? before, Action? action)
    {
        var a = m.A;
        var s = m.S;
        var cat = m.Cat;
        var running = a.Eq(s.Phase, a.Int((int)ProcessPhase.Running));
        T Any(IEnumerable<T> terms) => terms.Aggregate(a.False, a.Or);
        switch (property.Name)
        {
            case "no-cross-interpreter-decref": return action is null ? a.False : m.DecrefCross;
            case "no-foreign-free": return action is null ? a.False : m.ForeignFree;
            case "init-once-per-process": return action is null ? a.False : m.InitAgain;
            case "importer-owns-module-dict":
                return a.And(running, Any(Enumerable.Range(0, s.Interps).Select(i => a.And(m.IsAlive(i), Any(Enumerable.Range(0, s.Modules).Select(mod =>
                {
                    var x = s.Sys[i][mod];
                    var me = a.Int(i);
                    var dict = m.Get(s.ODict, x);
                    var foreign = a.Not(a.Eq(m.Get(s.OOwner, x, me), me));
                    var dictForeign = a.And(m.IsObj(dict), a.Not(a.Eq(m.Get(s.OOwner, dict, me), me)));
                    var values = Any(new[] { s.OObj, s.OError, s.OFn }.Select(f =>
                    {
                        // Only mortal values count: an immortal one is shared by design (fix-immortal-m-copy).
                        var v = m.Get(f, dict);
                        return a.And(a.And(m.IsObj(v), a.Not(m.Get(s.OImmortal, v, a.False))), a.Not(a.Eq(m.Get(s.OOwner, v, me), me)));
                    }));
                    return a.And(m.IsObj(x), a.Or(foreign, a.And(m.IsObj(dict), a.Or(dictForeign, values))));
                }))))));
            case "no-dead-owner":
            {
                var reach = m.Walk();
                return a.And(running, Any(Enumerable.Range(0, s.Capacity).Select(k =>
                    a.And(a.And(reach[k], s.OAlive[k]), a.Eq(m.StatusOf(s.OOwner[k]), a.Int((int)InterpStatus.Ended))))));
            }
            case "m-copy-owner-alive":
            {
                T Dead(T r) => a.And(m.IsObj(r), a.Not(m.IsAliveT(m.Get(s.OOwner, r, a.Int(0)))));
                // The fix strategies' per-interpreter m_copy counts as well.
                return a.And(running, a.Or(a.Or(Any(s.MCopy.Select(Dead)), Any(s.CCopied.Select(Dead))),
                    Any(s.OwnMCopy.SelectMany(own => own).Select(Dead))));
            }
            case "look-up-self-consistent":
                return a.And(running, Any(Enumerable.Range(0, s.Interps).SelectMany(i => Enumerable.Range(0, s.Defs)
                    .Where(d => cat.Defs[d].IsSinglePhase)
                    .Select(d =>
                    {
                        var found = m.MbiAt(i, s.MIndex[d]);
                        var names = Enumerable.Range(0, s.Modules).Where(mod => cat.DefIndexOf(mod) == d).ToList();
                        var held = Any(names.Select(mod => m.IsObj(s.Sys[i][mod])));
                        var foundHeld = Any(names.Select(mod => a.And(m.IsObj(s.Sys[i][mod]), a.Eq(s.Sys[i][mod], found))));
                        return a.And(m.IsAlive(i), a.And(held, a.Not(foundHeld)));
                    }))));
            case "no-leak-after-finalize":
                return a.And(a.Eq(s.Phase, a.Int((int)ProcessPhase.Finalized)), Any(s.OAlive));
            case "refcounts-exact":
                return RefcountsWrong(m);
            case "subinterpreter-imports-legacy-module":
                return Any(Enumerable.Range(1, s.Interps - 1).SelectMany(i => Enumerable.Range(0, s.Modules)
                    .Where(mod => !cat.IsCore(mod) && cat.DefOf(mod).Style == InitStyle.SinglePhase)
                    .Select(mod => a.And(m.IsAlive(i), m.IsObj(s.Sys[i][mod])))));
            case "subinterpreter-ends":
                if (before is null || action is not EndInterp e) return a.False;
                return a.And(running, Any(Enumerable.Range(0, s.Modules).Where(mod => !cat.IsCore(mod)).Select(mod => m.IsObj(before.Sys[e.I][mod]))));
            default:
                throw new SymbolicCapacityException($"the property {property.Name} is not encoded");
        }
    }

    /// <summary>Some live object's count differs from the references held to it, or a reference names a slot with no live object.</summary>
    private static T RefcountsWrong<T>(SymMachine<T> m)
    {
        var a = m.A;
        var s = m.S;
        var held = new T[s.Capacity];
        Array.Fill(held, a.Int(0));
        var dangling = a.False;
        void Count(T r, T holderAlive)
        {
            foreach (var c in a.Values(r))
            {
                if (c >= s.Capacity) continue;
                var hit = a.And(holderAlive, a.Eq(r, a.Int(c)));
                held[c] = a.Add(held[c], a.Ite(hit, a.Int(1), a.Int(0)));
                dangling = a.Or(dangling, a.And(hit, a.Not(s.OAlive[c])));
            }
        }
        foreach (var r in s.MCopy) Count(r, a.True);
        foreach (var r in s.CCopied) Count(r, a.True);
        for (var i = 0; i < s.Interps; i++)
        {
            foreach (var r in s.Sys[i]) Count(r, a.True);
            foreach (var r in s.Mbi[i]) Count(r, a.True);
            Count(s.SysDictCopy[i], a.True);
            Count(s.BuiltinsCopy[i], a.True);
            foreach (var r in s.OwnMCopy[i]) Count(r, a.True);
        }
        for (var k = 0; k < s.Capacity; k++)
            foreach (var f in new[] { s.ODict, s.OSelf, s.OObj, s.OError, s.OFn }) Count(f[k], s.OAlive[k]);
        var wrong = dangling;
        for (var k = 0; k < s.Capacity; k++)
        {
            // A leaked object has one reference nothing holds; an immortal one has the runtime's (HeapAudit).
            var expected = a.Add(a.Add(held[k], a.Ite(s.OLeaked[k], a.Int(1), a.Int(0))), a.Ite(s.OImmortal[k], a.Int(1), a.Int(0)));
            var bad = a.Or(a.Eq(s.ORc[k], a.Int(0)), a.Not(a.Eq(s.ORc[k], expected)));
            wrong = a.Or(wrong, a.And(s.OAlive[k], bad));
        }
        return wrong;
    }
}
