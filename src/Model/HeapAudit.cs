namespace Verify.Model;

/// <summary>
/// The model's own sanity check of a frozen heap. Every hazard Verify reports is derived from reference
/// counts reaching zero (which object is freed, when, by whom), so a count that drifts from the references
/// actually held would silently move or hide a crash. This recounts the references a <see cref="State"/>
/// holds, from its roots and from its heap objects, and compares them with <see cref="HeapObject.RefCount"/>.
/// It is pure and independent of <see cref="Machine"/>: it trusts nothing but the state's structure,
/// so it can check the machine's bookkeeping (the <c>refcounts-exact</c> property uses it).
/// </summary>
public static class HeapAudit
{
    /// <summary>
    /// Every inconsistency of <paramref name="s"/>'s heap, as readable lines; empty when the heap is sound:
    /// a reference to an index outside the heap (a freed object, since <see cref="Machine.Freeze"/> drops
    /// freed objects and renumbers the rest), a malformed id, a reference in a slot its object's kind does
    /// not hold (the counts would not see it), an object alive with a count of zero or less, and every
    /// object whose count differs from the references held to it.
    /// </summary>
    public static IReadOnlyList<string> Check(State s)
    {
        if (IsSound(s)) return [];
        var problems = new List<string>();
        var held = new int[s.Heap.Count];

        void Count(ObjId r, string holder)
        {
            if (r.IsNone || r.IsConstant) return; // nothing, or an immortal constant: never counted
            if (!r.IsObject)
                problems.Add($"{holder} holds a malformed reference {r.Value}");
            else if (r.Value >= s.Heap.Count)
                problems.Add($"{holder} holds {r}, outside the heap of {s.Heap.Count} objects (dangling: freed)");
            else
                held[r.Value]++;
        }

        foreach (var (root, name) in NamedRoots(s)) Count(root, name);

        for (var i = 0; i < s.Heap.Count; i++)
        {
            var o = s.Heap[i];
            var holder = $"#{i} ({o.Kind})";
            if (o.Leaked) held[i]++; // the reference 3.10/3.11's teardown leaks on purpose
            if (o.Immortal) held[i]++; // the runtime's reference to an immortal object
            // Count the slots directly rather than through References(): a reference kept in a slot the kind
            // does not use is still a pointer into the heap, and must be reported, not silently skipped.
            foreach (var (slot, value) in Slots(o))
            {
                if (!UsesSlot(o.Kind, slot))
                {
                    if (!value.IsNone) problems.Add($"{holder} holds {value} in its {slot} slot, which a {o.Kind} does not have");
                    continue;
                }
                Count(value, $"{holder}.{slot}");
            }
        }

        for (var i = 0; i < s.Heap.Count; i++)
        {
            var o = s.Heap[i];
            if (o.RefCount <= 0)
                problems.Add($"#{i} ({o.Kind}) is still in the heap with refcount {o.RefCount}");
            if (o.RefCount != held[i])
                problems.Add($"#{i} ({o.Kind}, owner {Interp.Name(o.Owner)}) has refcount {o.RefCount} but {held[i]} reference(s) are held to it");
        }
        return problems;
    }

    /// <summary>
    /// Whether <see cref="Check"/> finds nothing: the same tests, without a message (and without allocating for heaps
    /// of up to 512 objects). A sound state, the normal case, costs one pass over the roots and the heap.
    /// </summary>
    public static bool IsSound(State s)
    {
        var n = s.Heap.Count;
        var held = n <= 512 ? stackalloc int[n] : new int[n];
        foreach (var d in s.Defs.AsSpan()) if (!Count(d.MCopy, held)) return false;
        foreach (var c in s.Cache.AsSpan()) if (!Count(c.Copied, held)) return false;
        foreach (var it in s.Interps.AsSpan())
        {
            foreach (var m in it.SysModules.AsSpan()) if (!Count(m, held)) return false;
            foreach (var m in it.ModulesByIndex.AsSpan()) if (!Count(m, held)) return false;
            if (!Count(it.SysDictCopy, held) || !Count(it.BuiltinsCopy, held)) return false;
            foreach (var c in it.OwnMCopy.AsSpan()) if (!Count(c, held)) return false;
        }
        for (var i = 0; i < n; i++)
        {
            if (s.Heap[i].Leaked) held[i]++;
            if (s.Heap[i].Immortal) held[i]++;
        }
        foreach (var o in s.Heap.AsSpan())
        {
            // A slot the kind does not use must be empty (not even a constant); a slot it uses is counted.
            var (dict, self, items) = o.Kind switch
            {
                ObjKind.Module => (true, false, false),
                ObjKind.Func => (false, true, false),
                ObjKind.Dict => (false, false, true),
                _ => (false, false, false),
            };
            if (!Slot(o.Dict, dict, held) || !Slot(o.Self, self, held) ||
                !Slot(o.Obj, items, held) || !Slot(o.Error, items, held) || !Slot(o.Fn, items, held))
                return false;
        }
        var heap = s.Heap.AsSpan();
        for (var i = 0; i < n; i++)
            if (heap[i].RefCount <= 0 || heap[i].RefCount != held[i]) return false;
        return true;

        static bool Slot(ObjId value, bool used, Span<int> held) => used ? Count(value, held) : value.IsNone;

        // Nothing or an immortal constant is fine and never counted; a malformed id or one past the heap is a problem.
        static bool Count(ObjId r, Span<int> held)
        {
            if (r.IsNone || r.IsConstant) return true;
            if (!r.IsObject || r.Value >= held.Length) return false;
            held[r.Value]++;
            return true;
        }
    }

    /// <summary>The roots of <see cref="State.Roots"/>, each with the place that holds it (for the messages).</summary>
    private static IEnumerable<(ObjId Ref, string Name)> NamedRoots(State s)
    {
        for (var d = 0; d < s.Defs.Count; d++) yield return (s.Defs[d].MCopy, $"def {d} m_copy");
        for (var k = 0; k < s.Cache.Count; k++) yield return (s.Cache[k].Copied, $"cache record {k}");
        for (var i = 0; i < s.Interps.Count; i++)
        {
            var it = s.Interps[i];
            var who = Interp.Name(i);
            for (var m = 0; m < it.SysModules.Count; m++) yield return (it.SysModules[m], $"{who} sys.modules[{m}]");
            for (var x = 0; x < it.ModulesByIndex.Count; x++) yield return (it.ModulesByIndex[x], $"{who} modules_by_index[{x}]");
            yield return (it.SysDictCopy, $"{who} sysdict_copy");
            yield return (it.BuiltinsCopy, $"{who} builtins_copy");
            for (var d = 0; d < it.OwnMCopy.Count; d++) yield return (it.OwnMCopy[d], $"{who} own m_copy of def {d}");
        }
    }

    private static IEnumerable<(string Slot, ObjId Value)> Slots(HeapObject o)
    {
        yield return ("dict", o.Dict);
        yield return ("self", o.Self);
        yield return ("obj", o.Obj);
        yield return ("error", o.Error);
        yield return ("fn", o.Fn);
    }

    /// <summary>The slots <see cref="HeapObject.References"/> reads for each kind; lists and types hold nothing.</summary>
    private static bool UsesSlot(ObjKind kind, string slot) => kind switch
    {
        ObjKind.Module => slot == "dict",
        ObjKind.Func => slot == "self",
        ObjKind.Dict => slot is "obj" or "error" or "fn",
        _ => false,
    };
}
