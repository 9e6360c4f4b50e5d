using FsCheck.Fluent;
using Verify.Model;
using Verify.Properties;
using Verify.Tests.FsCheckSupport;
using Xunit;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// The allocation-free checks (<see cref="HeapAudit.IsSound"/>, <see cref="State.MarkReachable"/>,
/// <see cref="HeapObject.CopyReferences"/>, the property checks built on them) against plain oracles written here
/// from their definitions: on the states of random traces, and on those states with one field corrupted (a
/// reference count off by one, a slot or root pointing elsewhere, past the heap, at a constant or at a malformed
/// id), so that the heap audit's fast path is tested where it must say "unsound" too.
/// </summary>
public sealed class FastChecksAgreeProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Fast_checks_agree_with_their_definitions(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        var cat = cfg.Catalogue;
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            var rng = new System.Random(t.Steps.Count * 7919 + states.Count);
            for (var k = 0; k < states.Count; k++)
            {
                var s = states[k];
                foreach (var variant in new[] { s }.Concat(Enumerable.Range(0, 8).Select(_ => Corrupt(s, rng))))
                {
                    var sound = OracleSound(variant);
                    if (HeapAudit.IsSound(variant) != sound)
                        throw t.Violation(k, $"IsSound says {!sound}, the oracle {sound}, on a variant of the state");
                    if ((HeapAudit.Check(variant).Count == 0) != sound)
                        throw t.Violation(k, $"Check finds {HeapAudit.Check(variant).Count} problem(s), the oracle says sound: {sound}");
                }
                if (!OracleReachable(s).SequenceEqual(s.Reachable()))
                    throw t.Violation(k, "Reachable differs from a breadth-first walk over References()");
                var refs = new ObjId[HeapObject.MaxReferences];
                foreach (var o in s.Heap)
                {
                    var n = o.CopyReferences(refs);
                    if (!refs.Take(n).SequenceEqual(o.References()))
                        throw t.Violation(k, $"CopyReferences differs from References() for {o}");
                }
                var step = new Step(null, null, s, [], cat);
                if (IsolationProperties.NoDeadOwner.Check(step)?.Message != OracleDeadOwner(s, cat))
                    throw t.Violation(k, "no-dead-owner differs from its definition");
                if (IsolationProperties.LookUpSelfConsistent.Check(step)?.Message != OracleLookUpSelf(s, cat))
                    throw t.Violation(k, "look-up-self-consistent differs from its definition");
            }
        }), runs: 60);
    }

    /// <summary>The state with one reference or count changed at random.</summary>
    private static State Corrupt(State s, System.Random rng)
    {
        ObjId Any() => rng.Next(6) switch
        {
            0 => ObjId.None,
            1 => ObjId.Constant,
            2 => new ObjId(-3 - rng.Next(3)),
            3 => new ObjId(s.Heap.Count + rng.Next(2)),
            _ => s.Heap.Count == 0 ? ObjId.None : new ObjId(rng.Next(s.Heap.Count)),
        };
        if (s.Heap.Count > 0 && rng.Next(3) > 0)
        {
            var i = rng.Next(s.Heap.Count);
            var o = s.Heap[i];
            o = rng.Next(6) switch
            {
                0 => o with { RefCount = (short)(o.RefCount + (rng.Next(2) == 0 ? 1 : -1)) },
                1 => o with { Dict = Any() },
                2 => o with { Self = Any() },
                3 => o with { Obj = Any() },
                4 => o with { Error = Any() },
                _ => o with { Fn = Any() },
            };
            return new State(s.Phase, s.Interps, s.Defs, s.Cache, s.Globals, s.IndexCounter, s.Heap.SetItem(i, o));
        }
        if (rng.Next(2) == 0)
        {
            var d = rng.Next(s.Defs.Count);
            return new State(s.Phase, s.Interps, s.Defs.SetItem(d, s.Defs[d] with { MCopy = Any() }), s.Cache, s.Globals, s.IndexCounter, s.Heap);
        }
        var alive = Enumerable.Range(0, s.Interps.Count).Where(i => s.Interps[i].SysModules.Count > 0).ToList();
        if (alive.Count == 0) return s;
        var k = alive[rng.Next(alive.Count)];
        var it = s.Interps[k];
        var m = rng.Next(it.SysModules.Count);
        return new State(s.Phase, s.Interps.SetItem(k, it with { SysModules = it.SysModules.SetItem(m, Any()) }),
            s.Defs, s.Cache, s.Globals, s.IndexCounter, s.Heap);
    }

    /// <summary>Every held reference (roots, and the slots each kind uses) is nothing, a constant or an object in the heap;
    /// unused slots are empty; every count is positive and equals the references held.</summary>
    private static bool OracleSound(State s)
    {
        // A leaked reference (3.10/3.11's teardown increfs its survivors on purpose) is held by nothing in the state.
        // So is an immortal object's: the runtime holds it until it ends.
        var held = s.Heap.Select(o => (o.Leaked ? 1 : 0) + (o.Immortal ? 1 : 0)).ToArray();
        bool Ok(ObjId r)
        {
            if (r == ObjId.None || r == ObjId.Constant) return true;
            if (r.Value < 0 || r.Value >= s.Heap.Count) return false;
            held[r.Value]++;
            return true;
        }
        if (!s.Roots().ToList().All(Ok)) return false;
        foreach (var o in s.Heap)
        {
            ObjId[] used = o.Kind switch
            {
                ObjKind.Module => [o.Dict],
                ObjKind.Func => [o.Self],
                ObjKind.Dict => [o.Obj, o.Error, o.Fn],
                _ => [],
            };
            ObjId[] unused = o.Kind switch
            {
                ObjKind.Module => [o.Self, o.Obj, o.Error, o.Fn],
                ObjKind.Func => [o.Dict, o.Obj, o.Error, o.Fn],
                ObjKind.Dict => [o.Dict, o.Self],
                _ => [o.Dict, o.Self, o.Obj, o.Error, o.Fn],
            };
            if (unused.Any(r => r != ObjId.None) || !used.ToList().All(Ok)) return false;
        }
        return Enumerable.Range(0, s.Heap.Count).All(i => s.Heap[i].RefCount > 0 && s.Heap[i].RefCount == held[i]);
    }

    private static bool[] OracleReachable(State s)
    {
        var seen = new bool[s.Heap.Count];
        var queue = new Queue<ObjId>(s.Roots().Where(r => r.IsObject));
        while (queue.Count > 0)
        {
            var r = queue.Dequeue();
            if (seen[r.Value]) continue;
            seen[r.Value] = true;
            foreach (var c in s.Heap[r.Value].References()) queue.Enqueue(c);
        }
        return seen;
    }

    private static string? OracleDeadOwner(State s, Catalogue cat)
    {
        if (!s.IsRunning) return null;
        var reachable = OracleReachable(s);
        var i = Enumerable.Range(0, s.Heap.Count)
            .FirstOrDefault(i => reachable[i] && s.Interps[s.Heap[i].Owner].Status == InterpStatus.Ended, -1);
        return i < 0 ? null : $"{Objects.Describe(s.Heap[i], cat)} is reachable after {Interp.Name(s.Heap[i].Owner)} ended";
    }

    private static string? OracleLookUpSelf(State s, Catalogue cat)
    {
        if (!s.IsRunning) return null;
        for (var i = 0; i < s.Interps.Count; i++)
        {
            if (!s.IsAlive(i)) continue;
            var interp = s.Interps[i];
            for (var d = 0; d < cat.Defs.Count; d++)
            {
                if (!cat.Defs[d].IsSinglePhase) continue;
                var held = Enumerable.Range(0, cat.Modules.Count)
                    .Where(mod => cat.DefIndexOf(mod) == d && interp.SysModule(mod).IsObject)
                    .Select(interp.SysModule).ToList();
                if (held.Count == 0) continue;
                var found = interp.Mbi(s.Defs[d].MIndex);
                if (!held.Contains(found))
                    return found.IsObject
                        ? $"PyState_FindModule({cat.Defs[d].Name}) in {Interp.Name(i)} returns {Objects.Describe(s.Obj(found), cat)}, not the module in its sys.modules"
                        : $"PyState_FindModule({cat.Defs[d].Name}) in {Interp.Name(i)} returns NULL while its sys.modules holds the module";
            }
        }
        return null;
    }
}
