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
        public ObjId[] Mbi = [];
        public int MbiCount;
        public ObjId SysDictCopy = ObjId.None;
        public ObjId BuiltinsCopy = ObjId.None;
        // Fix strategies only: own m_copy per def and own cache keys per module (empty: none yet).
        public ObjId[] OwnMCopy = [];
        public bool[] OwnKeys = [];
    }

    public Catalogue Catalogue { get; private set; }
    public ProcessPhase Phase { get; set; }
    public int IndexCounter { get; private set; }
    /// <summary>The interpreter whose thread state is current: the actor of every event.</summary>
    public int Current { get; private set; }

    private InterpSlot[] interps = [];
    private DefState[] defs = [];
    private CacheEntry[] cache = [];
    private CGlobals[] globals = [];
    // The heap grows by allocation only; freed objects keep their slot (marked in freed) until Freeze drops them.
    private HeapObject[] heap = [];
    private bool[] freed = [];
    private int heapCount;
    private int freedCount; // how many of the heapCount objects are freed
    private List<Event> events = null!;
    // The state the machine was loaded from: Freeze reuses its arrays wherever the result has the same contents.
    private State source = null!;
    // Whether an object (or a C global) may have been written since the machine was loaded: if not, and the
    // numbering is the source's, the source's heap (globals) is the result.
    private bool heapChanged, globalsChanged;
    // Whether increfs and decrefs are recorded as events (and frees that cannot be hazards): a search whose properties
    // are all settled reads no event but the hazards', which are frees and interpreter ends, and the rest are most of a
    // step's events.
    private bool refCountEvents = true;
    // Whether the state Freeze builds is transient: read only until this thread's next transition, so its tables may
    // be arrays the machine reuses (a search that encodes each successor at once allocates no table per step).
    private bool transient;

    public IReadOnlyList<Event> Events => events;

    public Machine(Catalogue catalogue, State state, int current = Interp.Main)
    {
        Catalogue = catalogue;
        Reset(state, current);
    }

    /// <summary>Loads <paramref name="state"/> into this workspace, reusing its arrays where they are large enough.</summary>
    private void Reset(State state, int current, List<Event>? eventList = null)
    {
        source = state;
        (heapChanged, globalsChanged) = (false, false);
        Phase = state.Phase;
        IndexCounter = state.IndexCounter;
        Current = current;
        events = eventList ?? new List<Event>(16);
        rootsWalked = false;
        if (interps.Length != state.Interps.Count) interps = new InterpSlot[state.Interps.Count];
        for (var k = 0; k < interps.Length; k++)
        {
            var i = state.Interps[k];
            var slot = interps[k] ??= new InterpSlot();
            (slot.Status, slot.Kind, slot.Born) = (i.Status, i.Kind, i.Born);
            (slot.SysDictCopy, slot.BuiltinsCopy) = (i.SysDictCopy, i.BuiltinsCopy);
            slot.SysModules = Load(slot.SysModules, i.SysModules.AsSpan(), 0);
            slot.Mbi = Load(slot.Mbi, i.ModulesByIndex.AsSpan(), 4);
            slot.MbiCount = i.ModulesByIndex.Count;
            slot.OwnMCopy = Load(slot.OwnMCopy, i.OwnMCopy.AsSpan(), 0);
            slot.OwnKeys = Load(slot.OwnKeys, i.OwnKeys.AsSpan(), 0);
        }
        defs = Load(defs, state.Defs.AsSpan(), 0);
        cache = Load(cache, state.Cache.AsSpan(), 0);
        globals = Load(globals, state.Globals.AsSpan(), 0);
        var h = state.Heap.AsSpan();
        heapCount = h.Length;
        freedCount = 0;
        if (heap.Length < h.Length + 16)
        {
            heap = new HeapObject[h.Length + 16];
            freed = new bool[heap.Length];
        }
        else Array.Clear(freed, 0, h.Length); // Alloc clears the flag of each slot it hands out
        h.CopyTo(heap);
    }

    /// <summary>
    /// <paramref name="source"/> in <paramref name="into"/> if it fits (with <paramref name="spare"/> room; tables that
    /// must keep their exact length get 0), else in a new array.
    /// </summary>
    private static T[] Load<T>(T[] into, ReadOnlySpan<T> source, int spare)
    {
        if (spare == 0 ? into.Length != source.Length : into.Length < source.Length)
            into = source.Length == 0 ? [] : new T[source.Length + spare];
        source.CopyTo(into);
        return into;
    }

    // One spare workspace per thread: a transition borrows it and gives it back when its state is built.
    [ThreadStatic] private static Machine? spare;

    /// <summary>
    /// A workspace for one transition from <paramref name="state"/>, recording its events into <paramref name="eventList"/>
    /// (empty); give it back with <see cref="Return"/> when done.
    /// </summary>
    /// <param name="refCountEvents">false: increfs, decrefs and frees that are no hazard are not recorded (every other event is)</param>
    /// <param name="transient">true: the state the transition builds is read only until this thread's next transition</param>
    internal static Machine Rent(Catalogue catalogue, State state, List<Event> eventList, bool refCountEvents = true, bool transient = false)
    {
        var m = spare;
        if (m is null)
        {
            m = new Machine(catalogue, state);
            m.events = eventList;
        }
        else
        {
            spare = null;
            m.Catalogue = catalogue;
            m.Reset(state, Interp.Main, eventList);
        }
        m.refCountEvents = refCountEvents;
        m.transient = transient;
        return m;
    }

    /// <summary>
    /// Whether the code run so far left the process exactly as loaded: no event, no object or C global written, and every
    /// table (phase, index counter, defs, cache, each interpreter's) equal to the source state's. A conservative answer:
    /// a write that put back the value it replaced counts as a change (an incref, say, even if a decref followed).
    /// </summary>
    internal bool Untouched()
    {
        if (events.Count != 0 || heapChanged || globalsChanged || Phase != source.Phase || IndexCounter != source.IndexCounter) return false;
        if (!defs.AsSpan().SequenceEqual(source.Defs.AsSpan()) || !cache.AsSpan().SequenceEqual(source.Cache.AsSpan())) return false;
        var before = source.Interps.AsSpan();
        for (var k = 0; k < interps.Length; k++)
        {
            var (i, b) = (interps[k], before[k]);
            if (i.Status != b.Status || i.Kind != b.Kind || i.Born != b.Born || i.SysDictCopy != b.SysDictCopy || i.BuiltinsCopy != b.BuiltinsCopy ||
                !i.SysModules.AsSpan().SequenceEqual(b.SysModules.AsSpan()) ||
                !i.Mbi.AsSpan(0, i.MbiCount).SequenceEqual(b.ModulesByIndex.AsSpan()) ||
                !i.OwnMCopy.AsSpan().SequenceEqual(b.OwnMCopy.AsSpan()) || !i.OwnKeys.AsSpan().SequenceEqual(b.OwnKeys.AsSpan()))
                return false;
        }
        return true;
    }

    /// <summary>Gives the workspace back for the thread's next transition; its event list stays the caller's.</summary>
    internal void Return()
    {
        events = null!;
        source = null!;
        refCountEvents = true;
        transient = false;
        spare = this;
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

    public HeapObject this[ObjId id] => heap[Checked(id.Value)];
    public bool IsFreed(ObjId id) => freed[Checked(id.Value)];

    /// <summary>An index into the heap as a list of <see cref="heapCount"/> objects (the arrays have spare room).</summary>
    private int Checked(int index) =>
        (uint)index < (uint)heapCount ? index : throw new ArgumentOutOfRangeException(nameof(index), index, "no such object");
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
    public ObjId Mbi(int interp, int index) => index > 0 && index < interps[interp].MbiCount ? interps[interp].Mbi[index] : ObjId.None;
    public IReadOnlyList<ObjId> ModulesByIndex(int interp) => interps[interp].Mbi.AsSpan(0, interps[interp].MbiCount).ToArray();
    /// <summary>The length of modules-by-index, and its entry at <paramref name="k"/> (slot 0 included): the list as it is, no copy.</summary>
    internal int MbiCount(int interp) => interps[interp].MbiCount;
    internal ObjId MbiAt(int interp, int k) => interps[interp].Mbi[k];
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
        ref var slot = ref heap[id.Value];
        var o = slot;
        // An immortal object's count is not written (PEP 683): no event. The model still counts the references held.
        if (refCountEvents && !o.Immortal) Emit(new RefEvent(RefOp.Incref, Current, DomainOf(Current), id, o));
        slot = o with { RefCount = (short)(o.RefCount + 1) };
        heapChanged = true;
    }

    /// <summary>Drops one reference while <see cref="Current"/> runs; at zero the object is freed and drops its own.</summary>
    public void Decref(ObjId id)
    {
        if (!id.IsObject) return;
        Alive(id);
        ref var slot = ref heap[id.Value];
        var o = slot;
        // Immortal: no write, no event; the runtime's own reference keeps the count above zero.
        if (refCountEvents && !o.Immortal) Emit(new RefEvent(RefOp.Decref, Current, DomainOf(Current), id, o));
        o = o with { RefCount = (short)(o.RefCount - 1) };
        slot = o;
        heapChanged = true;
        if (o.RefCount == 0) Free(id);
    }

    private void Free(ObjId id)
    {
        var o = heap[id.Value];
        // Without ref-count events nothing reads a free but the crash prediction, which looks only at hazards (Hazards.At,
        // with the statuses the machine has at this point): the other frees are left out too. They were most of the
        // events, each one allocated.
        var domain = DomainOf(Current);
        if (refCountEvents || Hazards.OfFree(o, domain, interps[o.Owner].Status == InterpStatus.Ended) is not null)
            Emit(new RefEvent(RefOp.Free, Current, domain, id, o));
        freed[id.Value] = true;
        freedCount++;
        // Clear the references first so a cycle through this object cannot reach it again.
        heap[id.Value] = o with { Dict = ObjId.None, Self = ObjId.None, Obj = ObjId.None, Error = ObjId.None, Fn = ObjId.None };
        DecrefReferences(o);
    }

    /// <summary>Drops every reference <paramref name="o"/> holds, in <see cref="HeapObject.References"/>' order.</summary>
    private void DecrefReferences(in HeapObject o)
    {
        switch (o.Kind)
        {
            case ObjKind.Module: if (o.Dict.IsObject) Decref(o.Dict); break;
            case ObjKind.Func: if (o.Self.IsObject) Decref(o.Self); break;
            case ObjKind.Dict:
                // Each slot is read from o (the object as it was), as References() would have yielded it.
                var (obj, error, fn) = (o.Obj, o.Error, o.Fn);
                if (obj.IsObject) Decref(obj);
                if (error.IsObject) Decref(error);
                if (fn.IsObject) Decref(fn);
                break;
        }
    }

    private void Alive(ObjId id)
    {
        if ((uint)id.Value >= (uint)heapCount)
            throw new ArgumentOutOfRangeException(nameof(id), id.Value, "no such object");
        if (freed[id.Value])
            throw new ModelInvariantException($"object {id} ({heap[id.Value].Kind}) is used after it was freed");
    }

    // ---- allocation ------------------------------------------------------------------------------

    private ObjId Alloc(HeapObject o)
    {
        if (heapCount == heap.Length)
        {
            Array.Resize(ref heap, heap.Length * 2);
            Array.Resize(ref freed, heap.Length);
        }
        heap[heapCount] = o with { Owner = (sbyte)Current, Domain = (sbyte)DomainOf(Current), RefCount = 1 };
        heapChanged = true;
        freed[heapCount] = false;
        return new ObjId(heapCount++);
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
        (heapChanged, globalsChanged) = (true, true);
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
    public void SetGlobals(int group, CGlobals value)
    {
        globals[group] = value;
        globalsChanged = true;
    }

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
        heapChanged = true;
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
        var slot = interps[interp];
        if (value.IsNone && index >= slot.MbiCount) return;
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (index >= slot.MbiCount)
        {
            if (index >= slot.Mbi.Length) Array.Resize(ref slot.Mbi, Math.Max(index + 1, slot.Mbi.Length * 2));
            slot.Mbi.AsSpan(slot.MbiCount, index + 1 - slot.MbiCount).Fill(ObjId.None);
            slot.MbiCount = index + 1;
        }
        Incref(value);
        var old = slot.Mbi[index];
        slot.Mbi[index] = value;
        Decref(old);
    }

    /// <summary>Empties modules-by-index, dropping each module in index order.</summary>
    public void ClearMbi(int interp)
    {
        var slot = interps[interp];
        var (items, count) = (slot.Mbi, slot.MbiCount);
        (slot.Mbi, slot.MbiCount) = ([], 0);
        for (var k = 0; k < count; k++) Decref(items[k]);
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

    // ---- fix strategies: per-interpreter m_base tables and immortal objects ------------------------

    /// <summary>Interpreter <paramref name="interp"/>'s own <c>m_copy</c> of def <paramref name="def"/> (NULL if none).</summary>
    public ObjId OwnMCopy(int interp, int def) => def < interps[interp].OwnMCopy.Length ? interps[interp].OwnMCopy[def] : ObjId.None;

    /// <summary>Points <paramref name="interp"/>'s own <c>m_copy</c> of a def at <paramref name="steal"/>; the old one is dropped after, in the current interpreter.</summary>
    public void SetOwnMCopy(int interp, int def, ObjId steal)
    {
        var slot = interps[interp];
        if (slot.OwnMCopy.Length == 0)
        {
            if (steal.IsNone) return;
            slot.OwnMCopy = new ObjId[Catalogue.Defs.Count];
            slot.OwnMCopy.AsSpan().Fill(ObjId.None);
        }
        var old = slot.OwnMCopy[def];
        slot.OwnMCopy[def] = steal;
        Emit(new MCopyChanged(def, old, steal, Current, interp));
        Decref(old);
    }

    /// <summary>Whether <paramref name="interp"/>'s own extension cache holds <paramref name="module"/>'s key.</summary>
    public bool OwnsKey(int interp, int module) => module < interps[interp].OwnKeys.Length && interps[interp].OwnKeys[module];

    public void SetOwnKey(int interp, int module, bool present)
    {
        var slot = interps[interp];
        if (slot.OwnKeys.Length == 0)
        {
            if (!present) return;
            slot.OwnKeys = new bool[Catalogue.Modules.Count];
        }
        if (slot.OwnKeys[module] != present) Emit(new CacheChanged(module, present, Current, interp));
        slot.OwnKeys[module] = present;
    }

    /// <summary>An interpreter's own def copies go with it: every own <c>m_copy</c> is dropped (in the current interpreter) and every own key forgotten.</summary>
    public void ClearOwnTables(int interp)
    {
        var slot = interps[interp];
        for (var d = 0; d < slot.OwnMCopy.Length; d++)
            if (!slot.OwnMCopy[d].IsNone) SetOwnMCopy(interp, d, ObjId.None);
        for (var k = 0; k < slot.OwnKeys.Length; k++)
            if (slot.OwnKeys[k]) SetOwnKey(interp, k, false);
        (slot.OwnMCopy, slot.OwnKeys) = ([], []);
    }

    /// <summary>
    /// <c>_Py_SetImmortal</c> on <paramref name="root"/> and everything it reaches: each object not yet immortal gets the
    /// runtime's reference (so the counts stay exact) and is untracked from its collector.
    /// </summary>
    public void Immortalize(ObjId root)
    {
        if (!root.IsObject) return;
        var stack = new Stack<ObjId>();
        stack.Push(root);
        Span<ObjId> refs = stackalloc ObjId[HeapObject.MaxReferences];
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!id.IsObject) continue;
            Alive(id);
            var o = heap[id.Value];
            if (o.Immortal) continue;
            heap[id.Value] = o with { Immortal = true, RefCount = (short)(o.RefCount + 1) };
            heapChanged = true;
            var n = o.CopyReferences(refs);
            for (var k = 0; k < n; k++) stack.Push(refs[k]);
        }
    }

    /// <summary>
    /// The end of the runtime for immortal objects: each becomes mortal again and the runtime drops its reference, in the
    /// current interpreter; what is then garbage is left to that interpreter's last collection.
    /// </summary>
    public void ReleaseImmortals()
    {
        var immortal = new List<int>();
        for (var i = 0; i < heapCount; i++)
            if (!freed[i] && heap[i].Immortal) immortal.Add(i);
        foreach (var i in immortal) heap[i] = heap[i] with { Immortal = false };
        if (immortal.Count > 0) heapChanged = true;
        foreach (var i in immortal) Decref(new ObjId(i));
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
            slot.SysModules = new ObjId[Catalogue.Modules.Count];
            slot.SysModules.AsSpan().Fill(ObjId.None);
            var born = int.MinValue;
            foreach (var i in interps) born = Math.Max(born, i.Born);
            slot.Born = born + 1;
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

    /// <summary>
    /// Calls <paramref name="visit"/> on every root, in the fixed order of <see cref="State.Roots"/> (canonical
    /// numbering depends on it): every def's <c>m_copy</c>, every cache record's dict, then per interpreter slot
    /// its <c>sys.modules</c>, its modules-by-index and its two core dict copies.
    /// </summary>
    private void VisitRoots<TVisitor>(ref TVisitor visit) where TVisitor : struct, IRootVisitor
    {
        foreach (var d in defs) visit.Root(this, d.MCopy);
        foreach (var c in cache) visit.Root(this, c.Copied);
        foreach (var i in interps)
        {
            foreach (var m in i.SysModules) visit.Root(this, m);
            for (var k = 0; k < i.MbiCount; k++) visit.Root(this, i.Mbi[k]);
            visit.Root(this, i.SysDictCopy);
            visit.Root(this, i.BuiltinsCopy);
            foreach (var c in i.OwnMCopy) visit.Root(this, c);
        }
    }

    private interface IRootVisitor
    {
        void Root(Machine m, ObjId r);
    }

    // ---- the walk from the roots ----------------------------------------------------------------------
    //
    // One depth-first walk serves both the collector and Freeze: it numbers every object reachable from the roots
    // in the canonical order (roots in VisitRoots' order, then each object's references in References' order), so
    // an object is reachable exactly when it got a number. The walk never throws: a reference to a freed object is
    // remembered (the first one in walk order) and Freeze throws for it, as a walk that stopped there would.

    private int[] map = [];      // old index -> new number, -1: none yet
    private int[] numbered = []; // new number -> old index
    private int numberedCount;
    private ObjId firstFreed;
    // Whether map holds the walk from the roots of the heap as it is (set by the walk, cleared by a collection).
    private bool rootsWalked;

    private struct Number : IRootVisitor
    {
        public readonly void Root(Machine m, ObjId r)
        {
            // A root already numbered and live: Visit would only look at it and return.
            if (r.IsObject && (m.map[r.Value] < 0 || m.freed[r.Value])) m.Visit(r);
        }
    }

    private int[] pending = []; // the walk's stack: references still to visit, the next on top

    /// <summary>
    /// Numbers <paramref name="r"/> and then, depth first, what it references (in <see cref="HeapObject.References"/>'
    /// order): a recursive walk, run on an explicit stack. References are pushed in reverse so that they are taken in
    /// order, and each is examined when taken, exactly where the recursive call would have examined it.
    /// </summary>
    private void Visit(ObjId r)
    {
        if (pending.Length < heapCount * HeapObject.MaxReferences + 1) pending = new int[heap.Length * HeapObject.MaxReferences + 1];
        var top = 0;
        pending[top++] = r.Value;
        while (top > 0)
        {
            var x = pending[--top];
            if (freed[x] && firstFreed.IsNone) firstFreed = new ObjId(x);
            if (map[x] >= 0) continue;
            map[x] = numberedCount;
            numbered[numberedCount++] = x;
            ref readonly var o = ref heap[x];
            switch (o.Kind)
            {
                case ObjKind.Module: if (o.Dict.IsObject) pending[top++] = o.Dict.Value; break;
                case ObjKind.Func: if (o.Self.IsObject) pending[top++] = o.Self.Value; break;
                case ObjKind.Dict:
                    if (o.Fn.IsObject) pending[top++] = o.Fn.Value;
                    if (o.Error.IsObject) pending[top++] = o.Error.Value;
                    if (o.Obj.IsObject) pending[top++] = o.Obj.Value;
                    break;
            }
        }
    }

    /// <summary>Numbers what the roots reach, afresh.</summary>
    private void WalkFromRoots()
    {
        if (map.Length < heapCount) { map = new int[heap.Length]; numbered = new int[heap.Length]; }
        Array.Fill(map, -1, 0, heapCount);
        numberedCount = 0;
        firstFreed = ObjId.None;
        var v = new Number();
        VisitRoots(ref v);
        rootsWalked = true;
    }

    // ---- the cyclic collector ---------------------------------------------------------------------

    /// <summary>
    /// 3.10/3.11's <c>_PyGC_Fini</c> for a subinterpreter (gc_fini_untrack, bpo-46070 and gh-92036): every object its
    /// collector still tracks, i.e. every live object it allocated, is untracked and gets one strong reference that
    /// nothing holds, so it is never freed. Checked: a list a legacy subinterpreter made and that outlives it has one
    /// more reference after <c>destroy</c> on 3.10.13/3.11.7, none on 3.12.1/3.13.0 (the loop was removed by gh-94673).
    /// </summary>
    public void LeakSurvivors(int interp)
    {
        for (var i = 0; i < heapCount; i++)
        {
            var o = heap[i];
            if (freed[i] || o.Owner != interp || o.Leaked) continue;
            Emit(new RefEvent(RefOp.Incref, Current, DomainOf(Current), new ObjId(i), o));
            heap[i] = o with { RefCount = (short)(o.RefCount + 1), Leaked = true };
            heapChanged = true;
        }
    }

    /// <summary>
    /// One collection by <paramref name="interp"/>'s GC: every unreachable object it tracks (the ones it
    /// allocated) is cleared (<c>tp_clear</c>), which frees the cycle. Objects of an ended interpreter are in
    /// no live collector's lists and are never collected.
    /// </summary>
    public void Collect(int interp)
    {
        WalkFromRoots();
        CollectUnreachable(interp);
    }

    /// <summary>
    /// <see cref="Collect"/> with the walk from the roots already made on the heap as it is. Returns whether it
    /// collected anything (and so changed the heap); if not, the heap and the events are untouched.
    /// </summary>
    private bool CollectUnreachable(int interp)
    {
        var count = 0;
        for (var i = 0; i < heapCount; i++)
            if (!freed[i] && map[i] < 0 && heap[i].Owner == interp && !heap[i].Immortal) count++;
        if (count == 0) return false;
        rootsWalked = false;
        heapChanged = true;
        // The garbage is fixed before any of it is cleared (clearing frees, and a freed object is skipped).
        var garbage = new int[count];
        for (int i = 0, k = 0; i < heapCount; i++)
            if (!freed[i] && map[i] < 0 && heap[i].Owner == interp && !heap[i].Immortal) garbage[k++] = i;
        var before = Current;
        Current = interp;
        foreach (var i in garbage)
        {
            if (freed[i]) continue;
            var o = heap[i];
            heap[i] = o with { Dict = ObjId.None, Self = ObjId.None, Obj = ObjId.None, Error = ObjId.None, Fn = ObjId.None };
            DecrefReferences(o);
        }
        Emit(new Collected(interp, garbage.Length));
        Current = before;
        return true;
    }

    /// <summary>
    /// After a step, every live interpreter's collector has run on its own cycles (importlib allocates plenty).
    /// Each collection sees the reachability of the heap as it is then; one walk serves them all until a
    /// collection actually changes the heap.
    /// </summary>
    public void CollectAllLive()
    {
        Span<int> order = stackalloc int[interps.Length];
        var n = ByBirth(order);
        rootsWalked = false; // a walk made before (by a teardown's collection) may be out of date
        var stale = true;
        var owners = 0UL;
        for (var k = 0; k < n; k++)
        {
            var i = order[k];
            if (interps[i].Status != InterpStatus.Alive) continue;
            if (stale) { WalkFromRoots(); stale = false; owners = GarbageOwners(); }
            // Skip an interpreter that owns no unreachable object: its collection would find nothing.
            if ((uint)i < 64 && (owners & (1UL << i)) == 0) continue;
            if (CollectUnreachable(i)) stale = true;
        }
    }

    /// <summary>
    /// The owners of the live objects the last walk did not reach, as a bit mask (bit i: interpreter i); every bit set
    /// if some owner is not in 0..63, so that the collections look for themselves.
    /// </summary>
    private ulong GarbageOwners()
    {
        // The walk numbered every live object (and, with no dangling reference, nothing else): no garbage at all.
        if (firstFreed.IsNone && numberedCount == heapCount - freedCount) return 0;
        var owners = 0UL;
        for (var i = 0; i < heapCount; i++)
        {
            if (freed[i] || map[i] >= 0 || heap[i].Immortal) continue;
            var owner = heap[i].Owner;
            if ((uint)owner >= 64) return ulong.MaxValue;
            owners |= 1UL << owner;
        }
        return owners;
    }

    /// <summary>Interpreters that were ever created, oldest first (main first).</summary>
    public IEnumerable<int> InterpsByBirth()
    {
        var order = new int[interps.Length];
        return order.Take(ByBirth(order));
    }

    /// <summary>Writes the interpreters ever created into <paramref name="order"/>, oldest first; returns how many.</summary>
    private int ByBirth(Span<int> order)
    {
        var n = 0;
        for (var i = 0; i < interps.Length; i++)
        {
            if (interps[i].Born < 0) continue;
            // insertion by birth; a stable sort, as OrderBy is
            var k = n++;
            while (k > 0 && interps[order[k - 1]].Born > interps[i].Born) { order[k] = order[k - 1]; k--; }
            order[k] = i;
        }
        return n;
    }

    // ---- freezing --------------------------------------------------------------------------------

    private ObjId M(ObjId r) => r.IsObject ? new ObjId(map[r.Value]) : r;

    /// <summary>
    /// The immutable state after the transition. Live objects are renumbered by a fixed walk from the
    /// roots (then any unreachable survivors in allocation order), so equal processes get equal states.
    /// Throws <see cref="ModelInvariantException"/> if a live reference points at a freed object.
    /// </summary>
    public State Freeze()
    {
        WalkFromRoots();
        return Build();
    }

    /// <summary>
    /// <see cref="Freeze"/> right after <see cref="CollectAllLive"/>, with nothing changed in between: the collectors'
    /// last walk from the roots is the start of the numbering, unless a collection changed the heap after it.
    /// </summary>
    internal State FreezeAfterCollect()
    {
        if (!rootsWalked) WalkFromRoots();
        return Build();
    }

    /// <summary>Whether the numbering keeps every object of the source where it was (no object was added or freed).</summary>
    private bool Unnumbered()
    {
        if (numberedCount != heapCount || heapCount != source.Heap.Count) return false;
        for (var k = 0; k < numberedCount; k++)
            if (numbered[k] != k) return false;
        return true;
    }

    // Scratch space of Build: each table is built here first, and copied out only if it differs from the source's.
    private ObjId[] refsOut = [];
    private DefState[] defsOut = [];
    private CacheEntry[] cacheOut = [];

    private State Build()
    {
        rootsWalked = false;
        if (transient) ResetScratch();
        var reached = numberedCount; // the walk from the roots numbered these first; the unreachable rest follows
        for (var i = 0; i < heapCount; i++)
            if (!freed[i] && map[i] < 0) Visit(new ObjId(i)); // a numbered, live object: Visit would return at once
        if (!firstFreed.IsNone) throw new ModelInvariantException($"a live reference points at freed object {firstFreed}");

        ValueArray<HeapObject> newHeap;
        if (!heapChanged && Unnumbered()) newHeap = source.Heap; // the same objects, the same numbers
        else
        {
            var built = NewArray(heapScratch, numberedCount);
            for (var k = 0; k < numberedCount; k++)
            {
                ref readonly var o = ref heap[numbered[k]];
                built[k] = o with { Dict = M(o.Dict), Self = M(o.Self), Obj = M(o.Obj), Error = M(o.Error), Fn = M(o.Fn) };
            }
            newHeap = ValueArray.Own(built);
        }

        var sourceInterps = source.Interps.AsSpan();
        var newInterps = sourceInterps.Length == interps.Length ? null : NewArray(interpScratch, interps.Length);
        for (var k = 0; k < interps.Length; k++)
        {
            var i = interps[k];
            var before = newInterps is null ? sourceInterps[k] : null;
            InterpState after;
            if (i.Status == InterpStatus.NotCreated) after = InterpState.NotCreated;
            else
            {
                var sys = MapInto(i.SysModules, i.SysModules.Length, before?.SysModules);
                // Trailing None slots of modules-by-index are not observable; dropping them keeps states canonical.
                var n = i.MbiCount;
                while (n > 0 && i.Mbi[n - 1].IsNone) n--;
                var mbi = MapInto(i.Mbi, n, before?.ModulesByIndex);
                var (sysDict, builtins) = (M(i.SysDictCopy), M(i.BuiltinsCopy));
                // A table holding nothing is the empty table, so that equal processes stay equal states.
                var ownMCopy = i.OwnMCopy.AsSpan().IndexOfAnyExcept(ObjId.None) < 0 ? default : MapInto(i.OwnMCopy, i.OwnMCopy.Length, before?.OwnMCopy);
                var ownKeys = !i.OwnKeys.AsSpan().Contains(true) ? default
                    : before is not null && before.OwnKeys.AsSpan().SequenceEqual(i.OwnKeys) ? before.OwnKeys : ValueArray.Create<bool>(i.OwnKeys);
                after = before is not null && before.Status == i.Status && before.Kind == i.Kind && before.Born == i.Born &&
                    before.SysModules.SameArray(sys) && before.ModulesByIndex.SameArray(mbi) &&
                    before.SysDictCopy == sysDict && before.BuiltinsCopy == builtins &&
                    before.OwnMCopy == ownMCopy && before.OwnKeys == ownKeys
                    ? before
                    : new InterpState(i.Status, i.Kind, i.Born, sys, mbi, sysDict, builtins, ownMCopy, ownKeys);
            }
            if (newInterps is null && !ReferenceEquals(after, before))
            {
                newInterps = NewArray(interpScratch, interps.Length);
                sourceInterps[..k].CopyTo(newInterps);
            }
            if (newInterps is not null) newInterps[k] = after;
        }

        if (defsOut.Length < defs.Length) defsOut = new DefState[defs.Length];
        for (var d = 0; d < defs.Length; d++) defsOut[d] = defs[d] with { MCopy = M(defs[d].MCopy) };
        if (cacheOut.Length < cache.Length) cacheOut = new CacheEntry[cache.Length];
        for (var c = 0; c < cache.Length; c++) cacheOut[c] = cache[c] with { Copied = M(cache[c].Copied) };
        return new State(Phase,
            newInterps is null ? source.Interps : ValueArray.Own(newInterps),
            Keep(source.Defs, defsOut.AsSpan(0, defs.Length), defScratch),
            Keep(source.Cache, cacheOut.AsSpan(0, cache.Length), cacheScratch),
            globalsChanged ? Own(globals, globalsScratch) : source.Globals,
            IndexCounter,
            newHeap) { RootWalked = reached };
    }

    /// <summary>The first <paramref name="count"/> references of <paramref name="refs"/>, renumbered: <paramref name="before"/> itself if equal to it.</summary>
    private ValueArray<ObjId> MapInto(ObjId[] refs, int count, ValueArray<ObjId>? before)
    {
        if (count == 0) return before is { Count: 0 } empty ? empty : ValueArray.Own<ObjId>([]);
        // While the renumbered references equal before's, nothing is written; from the first difference on, a copy.
        var k = 0;
        ObjId[] built;
        if (before is { } b && b.Count == count)
        {
            var old = b.AsSpan();
            while (k < count && M(refs[k]) == old[k]) k++;
            if (k == count) return b;
            built = NewArray(refScratch, count);
            old[..k].CopyTo(built);
        }
        else built = NewArray(refScratch, count);
        for (; k < count; k++) built[k] = M(refs[k]);
        return ValueArray.Own(built);
    }

    /// <summary><paramref name="before"/> if <paramref name="built"/> has the same contents (states share unchanged tables), else a copy of it.</summary>
    private ValueArray<T> Keep<T>(ValueArray<T> before, ReadOnlySpan<T> built, Scratch<T> scratch) where T : IEquatable<T> =>
        before.AsSpan().SequenceEqual(built) ? before : Own(built, scratch);

    private ValueArray<T> Own<T>(ReadOnlySpan<T> built, Scratch<T> scratch)
    {
        if (built.Length == 0) return ValueArray.Own<T>([]);
        var copy = NewArray(scratch, built.Length);
        built.CopyTo(copy);
        return ValueArray.Own(copy);
    }

    /// <summary>A table for the state being built: new, or for a transient state one of the machine's own.</summary>
    private T[] NewArray<T>(Scratch<T> scratch, int length) => transient ? scratch.Get(length) : new T[length];

    private readonly Scratch<HeapObject> heapScratch = new();
    private readonly Scratch<ObjId> refScratch = new();
    private readonly Scratch<InterpState> interpScratch = new();
    private readonly Scratch<DefState> defScratch = new();
    private readonly Scratch<CacheEntry> cacheScratch = new();
    private readonly Scratch<CGlobals> globalsScratch = new();

    private void ResetScratch()
    {
        heapScratch.Reset();
        refScratch.Reset();
        interpScratch.Reset();
        defScratch.Reset();
        cacheScratch.Reset();
        globalsScratch.Reset();
    }

    /// <summary>
    /// Arrays of exact lengths for transient states, handed out afresh after each <see cref="Reset"/>: one build may
    /// take several of one length (e.g. every interpreter's <c>sys.modules</c>), each is given out once per build.
    /// </summary>
    private sealed class Scratch<T>
    {
        private List<T[]>?[] byLength = new List<T[]>?[16];
        private int[] given = new int[16];

        public void Reset() => Array.Clear(given);

        public T[] Get(int length)
        {
            if (length == 0) return [];
            if (length >= byLength.Length)
            {
                Array.Resize(ref byLength, length * 2);
                Array.Resize(ref given, length * 2);
            }
            var arrays = byLength[length] ??= [];
            var k = given[length]++;
            if (k == arrays.Count) arrays.Add(new T[length]);
            return arrays[k];
        }
    }
}

/// <summary>The model broke one of its own invariants: a bug in Verify, never in the trace.</summary>
public sealed class ModelInvariantException(string message) : Exception(message);
