namespace Verify.Model;

/// <summary>
/// The mutable workspace of one transition. A semantics reads and writes the process through it, in the
/// vocabulary of CPython's C code (incref, decref, <c>PyDict_Copy</c>, <c>import_add_module</c>, running an
/// init); every effect is recorded as an <see cref="Event"/> with the interpreter current at the time.
/// <see cref="Freeze"/> checks the heap and turns it back into an immutable, canonically numbered <see cref="State"/>.
///
/// Reference convention, as in the C API: functions that return an <see cref="ObjId"/> return a new
/// reference the caller must store (<see cref="Steal"/>-style setters) or drop with <see cref="Decref"/>;
/// setters that take a value add their own reference.
/// </summary>
public sealed class Machine
{
    private sealed class InterpSlot
    {
        public InterpStatus Status;
        public InterpKind Kind;
        public int Born = -1;
        public ObjId[] SysModules = [];
        public List<ObjId> Mbi = [];
        public ObjId SysDictCopy = ObjId.None;
        public ObjId BuiltinsCopy = ObjId.None;
    }

    public Catalogue Catalogue { get; }
    public ProcessPhase Phase { get; set; }
    public int IndexCounter { get; private set; }
    /// <summary>The interpreter whose thread state is current: the actor of every event.</summary>
    public int Current { get; private set; }

    private readonly InterpSlot[] interps;
    private readonly DefState[] defs;
    private readonly CacheEntry[] cache;
    private readonly CGlobals[] globals;
    private readonly List<HeapObject> heap;
    private readonly List<bool> freed;
    private readonly List<Event> events = [];

    public IReadOnlyList<Event> Events => events;

    public Machine(Catalogue catalogue, State state, int current = Interp.Main)
    {
        Catalogue = catalogue;
        Phase = state.Phase;
        IndexCounter = state.IndexCounter;
        Current = current;
        interps = state.Interps.Select(i => new InterpSlot
        {
            Status = i.Status, Kind = i.Kind, Born = i.Born, SysModules = i.SysModules.ToArray(), Mbi = [.. i.ModulesByIndex],
            SysDictCopy = i.SysDictCopy, BuiltinsCopy = i.BuiltinsCopy,
        }).ToArray();
        defs = state.Defs.ToArray();
        cache = state.Cache.ToArray();
        globals = state.Globals.ToArray();
        heap = [.. state.Heap];
        freed = [.. new bool[heap.Count]];
    }

    /// <summary>An empty process: no interpreter alive yet, nothing cached, no object.</summary>
    public static State EmptyState(Catalogue cat, int slots) => new(
        ProcessPhase.Running,
        ValueArray.Repeat(InterpState.NotCreated, slots + 1),
        ValueArray.Repeat(DefState.Fresh, cat.Defs.Count),
        ValueArray.Repeat(CacheEntry.Absent, cat.Modules.Count),
        ValueArray.Repeat(new CGlobals(0, false), cat.Globals.Count),
        0, default);

    // ---- reading -------------------------------------------------------------------------------

    public HeapObject this[ObjId id] => heap[id.Value];
    public bool IsFreed(ObjId id) => freed[id.Value];
    public DefState Def(int def) => defs[def];
    public CacheEntry Cache(int module) => cache[module];
    public CGlobals Globals(int group) => globals[group];
    public InterpKind KindOf(int interp) => interps[interp].Kind;
    public InterpStatus StatusOf(int interp) => interps[interp].Status;
    public bool IsAlive(int interp) => interps[interp].Status == InterpStatus.Alive;
    public int InterpCount => interps.Length;
    public bool CheckOn(int interp) => interp != Interp.Main && interps[interp].Kind == InterpKind.Isolated;
    public bool OwnGil(int interp) => interp != Interp.Main && interps[interp].Kind is InterpKind.Isolated or InterpKind.IsolatedOverride;
    public int DomainOf(int interp) => OwnGil(interp) ? interp : Interp.Main;
    public ObjId SysModule(int interp, int module) => interps[interp].SysModules[module];
    public ObjId SysDictCopy(int interp) => interps[interp].SysDictCopy;
    public ObjId BuiltinsCopy(int interp) => interps[interp].BuiltinsCopy;
    public ObjId Mbi(int interp, int index) => index > 0 && index < interps[interp].Mbi.Count ? interps[interp].Mbi[index] : ObjId.None;
    public IReadOnlyList<ObjId> ModulesByIndex(int interp) => interps[interp].Mbi;
    public DefSpec DefSpec(int def) => Catalogue.Defs[def];

    // ---- events and the current interpreter ---------------------------------------------------

    public void Emit(Event e) => events.Add(e);

    /// <summary>Swap the current thread state (3.13's switch to main around an init).</summary>
    public void SwitchTo(int interp)
    {
        if (interp == Current) return;
        Emit(new Switched(Current, interp));
        Current = interp;
    }

    // ---- reference counting ----------------------------------------------------------------------

    public void Incref(ObjId id)
    {
        if (!id.IsObject) return;
        Alive(id);
        var o = heap[id.Value];
        Emit(new RefEvent(RefOp.Incref, Current, DomainOf(Current), id, o));
        heap[id.Value] = o with { RefCount = (short)(o.RefCount + 1) };
    }

    /// <summary>Drops one reference while <see cref="Current"/> runs; at zero the object is freed and drops its own.</summary>
    public void Decref(ObjId id)
    {
        if (!id.IsObject) return;
        Alive(id);
        var o = heap[id.Value];
        Emit(new RefEvent(RefOp.Decref, Current, DomainOf(Current), id, o));
        o = o with { RefCount = (short)(o.RefCount - 1) };
        heap[id.Value] = o;
        if (o.RefCount == 0) Free(id);
    }

    private void Free(ObjId id)
    {
        var o = heap[id.Value];
        Emit(new RefEvent(RefOp.Free, Current, DomainOf(Current), id, o));
        freed[id.Value] = true;
        // Clear the references first so a cycle through this object cannot reach it again.
        heap[id.Value] = o with { Dict = ObjId.None, Self = ObjId.None, Obj = ObjId.None, Error = ObjId.None, Fn = ObjId.None };
        foreach (var child in o.References()) Decref(child);
    }

    private void Alive(ObjId id)
    {
        if (freed[id.Value])
            throw new ModelInvariantException($"object {id} ({heap[id.Value].Kind}) is used after it was freed");
    }

    // ---- allocation ------------------------------------------------------------------------------

    private ObjId Alloc(HeapObject o)
    {
        heap.Add(o with { Owner = (sbyte)Current, Domain = (sbyte)DomainOf(Current), RefCount = 1 });
        freed.Add(false);
        return new ObjId(heap.Count - 1);
    }

    private static HeapObject Blank(ObjKind kind, int def, int module, int serial) =>
        new(kind, 0, 0, 0, (sbyte)def, (sbyte)module, (short)serial, ObjId.None, ObjId.None, ObjId.None, ObjId.None, ObjId.None);

    /// <summary>A new empty dict owned by the current interpreter (new reference).</summary>
    public ObjId NewDict(int def = -1, int module = -1) => Alloc(Blank(ObjKind.Dict, def, module, 0));

    /// <summary>A module object with an empty dict; <paramref name="mdDef"/> -1 makes a copy module (new reference).</summary>
    public ObjId NewModule(int mdDef, int module)
    {
        var dict = NewDict(mdDef, module);
        var mod = Alloc(Blank(ObjKind.Module, mdDef, module, 0));
        heap[mod.Value] = heap[mod.Value] with { Dict = dict }; // the module steals the dict's reference
        return mod;
    }

    /// <summary>
    /// What an init function (or a multi-phase exec) does to the module it fills: bump the C globals'
    /// init counter and put fresh values, owned by the current interpreter, into the module dict. The
    /// function's <c>__self__</c> is <paramref name="module"/>.
    /// </summary>
    public int FillValues(ObjId module, InitKind kind)
    {
        var m = heap[module.Value];
        var def = m.Def;
        var spec = Catalogue.Defs[def];
        var g = globals[spec.Globals];
        var serial = g.InitCount + 1;
        globals[spec.Globals] = g with { InitCount = serial };
        heap[module.Value] = m with { Serial = (short)serial };
        Emit(new InitRan(kind, def, m.Module, Current, serial));
        var dict = m.Dict;
        if (spec.Values.HasFlag(ValueSet.List)) StealAttr(dict, Attr.Obj, Alloc(Blank(ObjKind.List, def, m.Module, serial)));
        if (spec.Values.HasFlag(ValueSet.Type)) StealAttr(dict, Attr.Error, Alloc(Blank(ObjKind.Type, def, m.Module, serial)));
        if (spec.Values.HasFlag(ValueSet.Func))
        {
            var fn = Alloc(Blank(ObjKind.Func, def, m.Module, serial));
            Incref(module);
            heap[fn.Value] = heap[fn.Value] with { Self = module };
            StealAttr(dict, Attr.Func, fn);
        }
        return serial;
    }

    /// <summary>
    /// Run a single-phase init (<c>PyInit_*</c> or <c>m_init</c>) in the current interpreter:
    /// <c>PyModule_Create</c> gives the def an index if it has none and makes a module with <c>md_def</c> set,
    /// whose dict the init fills. Returns the new module (new reference).
    /// </summary>
    public ObjId RunInit(int module, InitKind kind)
    {
        var def = Catalogue.DefIndexOf(module);
        AssignIndexIfUnset(def);
        var mod = NewModule(def, module);
        FillValues(mod, kind);
        return mod;
    }

    /// <summary><c>PyModuleDef_Init</c>: hands out the next process-wide index the first time (or after a reset).</summary>
    public void AssignIndexIfUnset(int def)
    {
        if (defs[def].MIndex != 0) return;
        IndexCounter++;
        defs[def] = defs[def] with { MIndex = IndexCounter };
        Emit(new IndexAssigned(def, IndexCounter));
    }

    public void SetDef(int def, DefState value) => defs[def] = value;
    public void SetCache(int module, CacheEntry value)
    {
        if (cache[module].Present != value.Present) Emit(new CacheChanged(module, value.Present, Current));
        cache[module] = value;
    }
    public void SetGlobals(int group, CGlobals value) => globals[group] = value;

    // ---- dicts --------------------------------------------------------------------------------

    private static readonly Attr[] Attrs = [Attr.Obj, Attr.Error, Attr.Func];

    /// <summary><c>dict[attr] = value</c>: the dict adds a reference to the value and drops the old one.</summary>
    public void SetAttr(ObjId dict, Attr attr, ObjId value)
    {
        Incref(value);
        StealAttr(dict, attr, value);
    }

    private void StealAttr(ObjId dict, Attr attr, ObjId value)
    {
        var old = heap[dict.Value].Slot(attr);
        heap[dict.Value] = heap[dict.Value].WithSlot(attr, value);
        Decref(old);
    }

    /// <summary><c>PyDict_Copy</c>: a new dict owned by the current interpreter holding the same values (shallow).</summary>
    public ObjId CopyDict(ObjId source)
    {
        var s = heap[source.Value];
        var copy = NewDict(s.Def, s.Module);
        foreach (var a in Attrs)
        {
            var v = heap[source.Value].Slot(a);
            if (!v.IsNone) SetAttr(copy, a, v);
        }
        return copy;
    }

    /// <summary><c>PyDict_Update(dst, src)</c>: every key of src is written into dst; keys only dst has stay.</summary>
    public void DictUpdate(ObjId dst, ObjId src)
    {
        foreach (var a in Attrs)
        {
            var v = heap[src.Value].Slot(a);
            if (!v.IsNone) SetAttr(dst, a, v);
        }
    }

    /// <summary><c>_PyModule_Clear</c> / <c>dict.clear()</c>: every value is dropped by the current interpreter.</summary>
    public void ClearDict(ObjId dict)
    {
        foreach (var a in Attrs)
            if (!heap[dict.Value].Slot(a).IsNone) StealAttr(dict, a, ObjId.None);
    }

    // ---- per-interpreter tables ----------------------------------------------------------------

    /// <summary><c>sys.modules[name] = value</c> (or <c>del</c> with <see cref="ObjId.None"/>) in <paramref name="interp"/>.</summary>
    public void SetSysModule(int interp, int module, ObjId value)
    {
        Incref(value);
        var slots = interps[interp].SysModules;
        var old = slots[module];
        slots[module] = value;
        Decref(old);
    }

    /// <summary><c>MBI[interp][index] = value</c>; the list grows (padded with None) as needed.</summary>
    public void SetMbi(int interp, int index, ObjId value)
    {
        var mbi = interps[interp].Mbi;
        if (value.IsNone && index >= mbi.Count) return;
        while (mbi.Count <= index) mbi.Add(ObjId.None);
        Incref(value);
        var old = mbi[index];
        mbi[index] = value;
        Decref(old);
    }

    /// <summary>Empties modules-by-index, dropping each module in index order.</summary>
    public void ClearMbi(int interp)
    {
        var mbi = interps[interp].Mbi;
        var items = mbi.ToArray();
        mbi.Clear();
        foreach (var m in items) Decref(m);
    }

    /// <summary>
    /// <c>import_add_module</c>: the module already in <c>sys.modules[name]</c> of the current interpreter,
    /// or a fresh copy module (<c>md_def == NULL</c>) stored there at once. New reference.
    /// </summary>
    public ObjId AddModule(int module)
    {
        var existing = SysModule(Current, module);
        if (existing.IsObject) { Incref(existing); return existing; }
        var mod = NewModule(-1, module);
        SetSysModule(Current, module, mod);
        return mod;
    }

    public void SetSysDictCopy(int interp, ObjId steal, bool builtins)
    {
        var slot = interps[interp];
        var old = builtins ? slot.BuiltinsCopy : slot.SysDictCopy;
        if (builtins) slot.BuiltinsCopy = steal; else slot.SysDictCopy = steal;
        Decref(old);
    }

    public void SetInterp(int interp, InterpStatus status, InterpKind kind)
    {
        var slot = interps[interp];
        if (slot.Status == InterpStatus.NotCreated && status == InterpStatus.Alive)
        {
            slot.SysModules = Enumerable.Repeat(ObjId.None, Catalogue.Modules.Count).ToArray();
            slot.Born = interps.Max(i => i.Born) + 1;
        }
        slot.Status = status;
        slot.Kind = kind;
    }

    /// <summary>Runs code in another interpreter without recording a switch (e.g. that interpreter's own collector).</summary>
    public void ActAs(int interp) => Current = interp;

    // ---- m_copy ---------------------------------------------------------------------------------

    /// <summary><c>Py_CLEAR(def->m_base.m_copy)</c> in the current interpreter.</summary>
    public void ClearMCopy(int def)
    {
        var old = defs[def].MCopy;
        if (old.IsNone) return;
        defs[def] = defs[def] with { MCopy = ObjId.None };
        Emit(new MCopyChanged(def, old, ObjId.None, Current));
        Decref(old);
    }

    /// <summary>Points <c>m_copy</c> at <paramref name="steal"/> (taking the caller's reference); the old value, if any, is dropped after.</summary>
    public void ReplaceMCopy(int def, ObjId steal)
    {
        var old = defs[def].MCopy;
        defs[def] = defs[def] with { MCopy = steal };
        Emit(new MCopyChanged(def, old, steal, Current));
        Decref(old);
    }

    // ---- the cyclic collector ---------------------------------------------------------------------

    /// <summary>The roots, in the same fixed order as <see cref="State.Roots"/> (canonical numbering depends on it).</summary>
    private IEnumerable<ObjId> Roots()
    {
        foreach (var d in defs) yield return d.MCopy;
        foreach (var c in cache) yield return c.Copied;
        foreach (var i in interps)
        {
            foreach (var m in i.SysModules) yield return m;
            foreach (var m in i.Mbi) yield return m;
            yield return i.SysDictCopy;
            yield return i.BuiltinsCopy;
        }
    }

    private bool[] ReachableNow()
    {
        var seen = new bool[heap.Count];
        var stack = new Stack<int>();
        void Root(ObjId r) { if (r.IsObject && !seen[r.Value]) { seen[r.Value] = true; stack.Push(r.Value); } }
        foreach (var r in Roots()) Root(r);
        while (stack.Count > 0)
            foreach (var c in heap[stack.Pop()].References()) Root(c);
        return seen;
    }

    /// <summary>
    /// One collection by <paramref name="interp"/>'s GC: every unreachable object it tracks (the ones it
    /// allocated) is cleared (<c>tp_clear</c>), which frees the cycle. Objects of an ended interpreter are in
    /// no live collector's lists and are never collected.
    /// </summary>
    public void Collect(int interp)
    {
        var reachable = ReachableNow();
        var garbage = Enumerable.Range(0, heap.Count)
            .Where(i => !freed[i] && !reachable[i] && heap[i].Owner == interp).ToList();
        if (garbage.Count == 0) return;
        var before = Current;
        Current = interp;
        foreach (var i in garbage)
        {
            if (freed[i]) continue;
            var o = heap[i];
            var cleared = o with { Dict = ObjId.None, Self = ObjId.None, Obj = ObjId.None, Error = ObjId.None, Fn = ObjId.None };
            heap[i] = cleared;
            foreach (var c in o.References()) Decref(c);
        }
        Emit(new Collected(interp, garbage.Count));
        Current = before;
    }

    /// <summary>After a step, every live interpreter's collector has run on its own cycles (importlib allocates plenty).</summary>
    public void CollectAllLive()
    {
        foreach (var i in InterpsByBirth())
            if (interps[i].Status == InterpStatus.Alive) Collect(i);
    }

    /// <summary>Interpreters that were ever created, oldest first (main first).</summary>
    public IEnumerable<int> InterpsByBirth() =>
        Enumerable.Range(0, interps.Length).Where(i => interps[i].Born >= 0).OrderBy(i => interps[i].Born);

    // ---- freezing --------------------------------------------------------------------------------

    /// <summary>
    /// The immutable state after the transition. Live objects are renumbered by a fixed walk from the
    /// roots (then any unreachable survivors in allocation order), so equal processes get equal states.
    /// Throws <see cref="ModelInvariantException"/> if a live reference points at a freed object.
    /// </summary>
    public State Freeze()
    {
        var map = new int[heap.Count];
        Array.Fill(map, -1);
        var order = new List<int>(heap.Count);
        void Visit(ObjId r)
        {
            if (!r.IsObject) return;
            if (freed[r.Value]) throw new ModelInvariantException($"a live reference points at freed object {r}");
            if (map[r.Value] >= 0) return;
            map[r.Value] = order.Count;
            order.Add(r.Value);
            foreach (var c in heap[r.Value].References()) Visit(c);
        }
        foreach (var r in Roots()) Visit(r);
        for (var i = 0; i < heap.Count; i++)
            if (!freed[i]) Visit(new ObjId(i));

        ObjId M(ObjId r) => r.IsObject ? new ObjId(map[r.Value]) : r;
        var newHeap = new HeapObject[order.Count];
        for (var k = 0; k < order.Count; k++)
        {
            var o = heap[order[k]];
            newHeap[k] = o with { Dict = M(o.Dict), Self = M(o.Self), Obj = M(o.Obj), Error = M(o.Error), Fn = M(o.Fn) };
        }
        var newInterps = interps.Select(i => i.Status == InterpStatus.NotCreated
            ? InterpState.NotCreated
            : new InterpState(i.Status, i.Kind, i.Born,
                ValueArray.Own(i.SysModules.Select(M).ToArray()),
                ValueArray.Own(TrimMbi(i.Mbi).Select(M).ToArray()),
                M(i.SysDictCopy), M(i.BuiltinsCopy))).ToArray();
        return new State(Phase,
            ValueArray.Own(newInterps),
            ValueArray.Own(defs.Select(d => d with { MCopy = M(d.MCopy) }).ToArray()),
            ValueArray.Own(cache.Select(c => c with { Copied = M(c.Copied) }).ToArray()),
            ValueArray.Own(globals.ToArray()),
            IndexCounter,
            ValueArray.Own(newHeap));
    }

    /// <summary>Trailing None slots of modules-by-index are not observable; dropping them keeps states canonical.</summary>
    private static IEnumerable<ObjId> TrimMbi(List<ObjId> mbi)
    {
        var n = mbi.Count;
        while (n > 0 && mbi[n - 1].IsNone) n--;
        return mbi.Take(n);
    }
}

/// <summary>The model broke one of its own invariants: a bug in Verify, never in the trace.</summary>
public sealed class ModelInvariantException(string message) : Exception(message);
