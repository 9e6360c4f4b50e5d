using Verify.Model;

namespace Verify.Properties;

/// <summary>
/// The properties Verify checks, each a named value. The always-properties are the isolation invariants of
/// the mission and the model's own sanity; the sometimes-properties make sure a search did not pass vacuously
/// (a bound so small that no subinterpreter ever imported anything proves nothing).
/// </summary>
public static class IsolationProperties
{
    // Each always-statement names the forbidden thing (Property.Statement: "what it forbids"; issue 3: "a one-line
    // statement of what it forbids"), as the other seven do: the two event properties read "a ... is decrefed/freed",
    // not "no ... is", which a report printing "forbids: <statement>" would turn into a double negative.
    public static Property NoCrossInterpreterDecref { get; } = new(
        "no-cross-interpreter-decref", PropertyKind.Always, PropertyScope.Transition,
        "a mortal object is decrefed while an interpreter other than its owner is current",
        step => FirstRefEvent(step, e => e.Op == RefOp.Decref && e.Actor != e.Object.Owner, (e, cat) =>
            $"{Interp.Name(e.Actor)} decrefs {Objects.Describe(e.Object, cat)}"));

    public static Property NoForeignFree { get; } = new(
        "no-foreign-free", PropertyKind.Always, PropertyScope.Transition,
        "an object is freed under an allocator domain other than its own",
        step => FirstRefEvent(step, e => e.Op == RefOp.Free && e.ActorDomain != e.Object.Domain, (e, cat) =>
            $"{Objects.Describe(e.Object, cat)}, allocated by {Interp.Name(e.Object.Domain)}'s obmalloc, is freed while {Interp.Name(e.Actor)} is current"));

    public static Property ImporterOwnsModuleDict { get; } = new(
        "importer-owns-module-dict", PropertyKind.Always, PropertyScope.State,
        "a module in sys.modules of an interpreter, its dict, or a mortal value in that dict is owned by another interpreter",
        ImporterOwns);

    public static Property NoDeadOwner { get; } = new(
        "no-dead-owner", PropertyKind.Always, PropertyScope.State,
        "a running process can still reach an object owned by an interpreter that has ended",
        DeadOwnerReachable);

    public static Property MCopyOwnerAlive { get; } = new(
        "m-copy-owner-alive", PropertyKind.Always, PropertyScope.State,
        "a cached m_copy (a def's m_base.m_copy, a 3.13 cache record's dict, or a strategy's per-interpreter m_copy) is owned by an interpreter that is not alive",
        step =>
        {
            var s = step.After;
            if (!s.IsRunning) return null;
            for (var d = 0; d < s.Defs.Count; d++)
                if (s.Defs[d].MCopy is { IsObject: true } c && !s.IsAlive(s.Obj(c).Owner))
                    return new($"{step.Catalogue.Defs[d].Name}'s m_copy is {Objects.Describe(s.Obj(c), step.Catalogue)}, which has ended");
            for (var k = 0; k < s.Cache.Count; k++)
                if (s.Cache[k].Copied is { IsObject: true } c && !s.IsAlive(s.Obj(c).Owner))
                    return new($"the cache record of {step.Catalogue.Modules[k].Name} holds {Objects.Describe(s.Obj(c), step.Catalogue)}, which has ended");
            // Fix strategies that keep m_copy per interpreter: each copy is its interpreter's, and goes when it ends.
            for (var i = 0; i < s.Interps.Count; i++)
                for (var d = 0; d < s.Interps[i].OwnMCopy.Count; d++)
                    if (s.Interps[i].OwnMCopy[d] is { IsObject: true } c && !s.IsAlive(s.Obj(c).Owner))
                        return new($"{Interp.Name(i)}'s own m_copy of {step.Catalogue.Defs[d].Name} is {Objects.Describe(s.Obj(c), step.Catalogue)}, which has ended");
            return null;
        });

    public static Property InitOncePerProcess { get; } = new(
        "init-once-per-process", PropertyKind.Always, PropertyScope.Transition,
        "the init of an m_size == -1 single-phase module runs when its C globals were already initialised",
        step =>
        {
            for (var k = 0; k < step.Events.Count; k++)
                if (step.Events[k] is InitRan { Kind: InitKind.Init or InitKind.Reinit } e && e.Serial > 1 &&
                    step.Catalogue.Defs[e.Def] is { Style: InitStyle.SinglePhase, MSize: -1 } def)
                    return new($"{def.Name}'s init runs again in {Interp.Name(e.Interp)} (its C globals' init #{e.Serial})", k);
            return null;
        });

    public static Property LookUpSelfConsistent { get; } = new(
        "look-up-self-consistent", PropertyKind.Always, PropertyScope.State,
        "PyState_FindModule(def) in an interpreter returns a module other than one sys.modules holds under a name of that def",
        LookUpSelf);

    public static Property NoLeakAfterFinalize { get; } = new(
        "no-leak-after-finalize", PropertyKind.Always, PropertyScope.State,
        "a mortal object survives finalization",
        step => step.After.Phase == ProcessPhase.Finalized && step.After.Heap.Count > 0
            ? new($"{step.After.Heap.Count} object(s) survive finalization, first {Objects.Describe(step.After.Heap[0], step.Catalogue)}")
            : null);

    public static Property RefcountsExact { get; } = new(
        "refcounts-exact", PropertyKind.Always, PropertyScope.State,
        "an object's reference count differs from the references the state holds to it (the model's own sanity)",
        step => HeapAudit.Check(step.After) is [var first, ..] ? new(first) : null);

    public static Property SubinterpreterImportsLegacyModule { get; } = new(
        "subinterpreter-imports-legacy-module", PropertyKind.Sometimes, PropertyScope.State,
        "some subinterpreter holds a single-phase extension module in its sys.modules",
        step =>
        {
            var s = step.After;
            for (var i = 1; i < s.Interps.Count; i++)
            {
                if (!s.IsAlive(i)) continue;
                for (var mod = 0; mod < step.Catalogue.Modules.Count; mod++)
                    if (!step.Catalogue.IsCore(mod) && step.Catalogue.DefOf(mod).Style == InitStyle.SinglePhase &&
                        s.Interps[i].SysModule(mod).IsObject)
                        return new($"{Interp.Name(i)} holds {step.Catalogue.Modules[mod].Name}");
            }
            return null;
        });

    public static Property SubinterpreterEnds { get; } = new(
        "subinterpreter-ends", PropertyKind.Sometimes, PropertyScope.Transition,
        "some subinterpreter ends holding an extension module in its sys.modules, and the process runs on",
        step =>
        {
            // An end that crashes the process does not witness it: a teardown that frees another obmalloc's object
            // aborts (checked on 3.12.1 and 3.13.0: main rebinds X.obj and clears the extension, an isolated+override interpreter
            // holding the last reference to main's list is destroyed: "free(): invalid pointer"), and nothing after it
            // is explored. The check reads sys.modules when the end starts, so the statement says "holding".
            if (step.Before is null || step.Action is not EndInterp e || !step.After.IsRunning) return null;
            var before = step.Before.Interps[e.I];
            for (var mod = 0; mod < step.Catalogue.Modules.Count; mod++)
                if (!step.Catalogue.IsCore(mod) && before.SysModule(mod).IsObject)
                    return new($"{Interp.Name(e.I)} ends holding {step.Catalogue.Modules[mod].Name}");
            return null;
        });

    /// <summary>Every property, always-properties first, in the order reports list them.</summary>
    public static IReadOnlyList<Property> All { get; } =
    [
        NoCrossInterpreterDecref, NoForeignFree, ImporterOwnsModuleDict, NoDeadOwner, MCopyOwnerAlive,
        InitOncePerProcess, LookUpSelfConsistent, NoLeakAfterFinalize, RefcountsExact,
        SubinterpreterImportsLegacyModule, SubinterpreterEnds,
    ];

    public static Property? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private static Finding? FirstRefEvent(Step step, Func<RefEvent, bool> matches, Func<RefEvent, Catalogue, string> describe)
    {
        for (var k = 0; k < step.Events.Count; k++)
            if (step.Events[k] is RefEvent e && matches(e)) return new(describe(e, step.Catalogue), k);
        return null;
    }

    private static Finding? DeadOwnerReachable(Step step)
    {
        if (!step.After.IsRunning) return null;
        var s = step.After;
        // Only an object whose owner has ended can be a finding: without one, there is nothing to walk for.
        if (!AnyOwnerEnded(s)) return null;
        var n = s.Heap.Count;
        var reachable = n <= 512 ? stackalloc bool[n] : new bool[n];
        s.MarkReachable(reachable);
        for (var i = 0; i < n; i++)
            if (reachable[i] && s.Interps[s.Heap[i].Owner].Status == InterpStatus.Ended)
                return new($"{Objects.Describe(s.Heap[i], step.Catalogue)} is reachable after {Interp.Name(s.Heap[i].Owner)} ended");
        return null;
    }

    /// <summary>Whether some object's owner has ended (or names no interpreter: then the full check decides).</summary>
    private static bool AnyOwnerEnded(State s)
    {
        var interps = s.Interps.AsSpan();
        var ended = false;
        foreach (var i in interps) ended |= i.Status == InterpStatus.Ended;
        if (!ended) return OwnerOutOfRange(s, interps.Length);
        foreach (var o in s.Heap.AsSpan())
            if ((uint)o.Owner >= (uint)interps.Length || interps[o.Owner].Status == InterpStatus.Ended) return true;
        return false;
    }

    private static bool OwnerOutOfRange(State s, int interps)
    {
        foreach (var o in s.Heap.AsSpan())
            if ((uint)o.Owner >= (uint)interps) return true;
        return false;
    }

    private static Finding? ImporterOwns(Step step)
    {
        var s = step.After;
        if (!s.IsRunning) return null;
        var cat = step.Catalogue;
        Span<ObjId> values = stackalloc ObjId[HeapObject.MaxReferences];
        for (var i = 0; i < s.Interps.Count; i++)
        {
            if (!s.IsAlive(i)) continue;
            var sys = s.Interps[i].SysModules;
            for (var mod = 0; mod < sys.Count; mod++)
            {
                if (!sys[mod].IsObject) continue;
                var module = s.Obj(sys[mod]);
                if (module.Owner != i) return Foreign(i, $"sys.modules['{Name(mod)}']", module, cat);
                if (!module.Dict.IsObject) continue;
                var dict = s.Obj(module.Dict);
                if (dict.Owner != i) return Foreign(i, $"the dict of sys.modules['{Name(mod)}']", dict, cat);
                var count = dict.CopyReferences(values);
                for (var k = 0; k < count; k++)
                    if (s.Obj(values[k]) is { Immortal: false } v && v.Owner != i) return Foreign(i, $"a value in sys.modules['{Name(mod)}'].__dict__", s.Obj(values[k]), cat);
            }
        }
        return null;

        string Name(int mod) => cat.Modules[mod].Name;
    }

    private static Finding Foreign(int interp, string where, HeapObject o, Catalogue cat) =>
        new($"{where} of {Interp.Name(interp)} is {Objects.Describe(o, cat)}");

    private static Finding? LookUpSelf(Step step)
    {
        var s = step.After;
        if (!s.IsRunning) return null;
        var cat = step.Catalogue;
        for (var i = 0; i < s.Interps.Count; i++)
        {
            if (!s.IsAlive(i)) continue;
            var interp = s.Interps[i];
            for (var d = 0; d < cat.Defs.Count; d++)
            {
                if (!cat.Defs[d].IsSinglePhase) continue;
                // Does sys.modules hold a module under a name of this def, and is the one PyState_FindModule finds among them?
                var found = interp.Mbi(s.Defs[d].MIndex);
                var (held, foundHeld) = (false, false);
                for (var mod = 0; mod < cat.Modules.Count; mod++)
                {
                    if (cat.DefIndexOf(mod) != d || !interp.SysModule(mod).IsObject) continue;
                    held = true;
                    foundHeld |= interp.SysModule(mod) == found;
                }
                if (!held) continue;
                if (!foundHeld)
                    return new(found.IsObject
                        ? $"PyState_FindModule({cat.Defs[d].Name}) in {Interp.Name(i)} returns {Objects.Describe(s.Obj(found), cat)}, not the module in its sys.modules"
                        : $"PyState_FindModule({cat.Defs[d].Name}) in {Interp.Name(i)} returns NULL while its sys.modules holds the module");
            }
        }
        return null;
    }
}
