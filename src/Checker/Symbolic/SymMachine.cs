using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Checker.Symbolic;

/// <summary>
/// What a new object is for. An init makes a block (its module's dict, the module, the values); a cache hit makes a copy
/// block (dict, copy module); <c>PyDict_Copy</c> makes a loose dict. The symbolic engine places each role in its own
/// slots, so that a module's dict, a function's <c>__self__</c> and an init dict's values are one known slot each.
/// </summary>
public enum SlotRole { InitDict, InitModule, InitList, InitType, InitFunc, CopyDict, CopyModule, LooseDict }

/// <summary>Where the machine puts a new object: a slot number decided when the code runs (never by the solver).</summary>
public interface ISlotAllocator
{
    int Next(SlotRole role);
}

/// <summary>The concrete instance's allocator: the next free slot, in allocation order (as the explicit heap grows).</summary>
public sealed class SequentialSlots(int first, int capacity) : ISlotAllocator
{
    private int next = first;

    public int Next(SlotRole role) => next < capacity
        ? next++
        : throw new SymbolicCapacityException($"the step allocates more objects than the encoding's {capacity} slots");
}

/// <summary>
/// One transition of the model written once, against <see cref="IAlgebra{T}"/>: the symbolic counterpart of
/// <see cref="Machine"/> and <see cref="Semantics"/> (their order of effects, step for step), run in the concrete
/// instance to be compared with the explicit model and in the Z3 instance to build the BMC formulas.
///
/// Control flow that depends on the state is guarded execution: <see cref="When"/> runs its body under a path
/// condition, and every write keeps the old value where the condition is false (<c>ite</c>). An ImportError marks the
/// rest of the action as not run on that path (<see cref="Raise"/>); a free that crashes this version marks the step
/// crashed, and its result is then the state before, in phase Crashed. Events are not recorded: only what the
/// properties read of them, as flags set by events before the crash (<see cref="DecrefCross"/>, <see cref="ForeignFree"/>,
/// <see cref="InitAgain"/>).
/// </summary>
public sealed class SymMachine<T>
{
    public const int None = SymState<T>.None;
    /// <summary>Rounds of the walk from the roots: the longest chain of references from a root in this model is 5.</summary>
    public const int WalkRounds = 6;

    public readonly IAlgebra<T> A;
    public readonly Catalogue Cat;
    public readonly SymVersion Version;
    public SymState<T> S;
    private readonly ISlotAllocator slots;

    /// <summary>The interpreter whose thread state is current; always known when the code runs.</summary>
    public int Current;
    private T guard, raised;
    public T Crashed;
    public T DecrefCross, ForeignFree, InitAgain;
    private readonly HashSet<int> freeing = [];

    public SymMachine(IAlgebra<T> algebra, Catalogue cat, SymVersion version, SymState<T> state, ISlotAllocator slots)
    {
        A = algebra;
        Cat = cat;
        Version = version;
        S = state;
        this.slots = slots;
        guard = A.True;
        raised = A.False;
        Crashed = A.False;
        DecrefCross = ForeignFree = InitAgain = A.False;
    }

    // ---- guarded execution ----------------------------------------------------------------------

    /// <summary>The condition under which the code now running takes effect.</summary>
    public T G => A.And(guard, A.Not(raised));
    private bool Off => A.KnownBool(G) == false;

    public T Int(int v) => A.Int(v);
    public T NoneRef => A.Int(None);
    public T IsObj(T r) => A.Not(A.Eq(r, NoneRef));

    /// <summary><c>arr[i] = v</c> where the path condition holds.</summary>
    public void Set(T[] arr, int i, T v) { if (!Off) arr[i] = A.Ite(G, v, arr[i]); }

    /// <summary>Runs <paramref name="body"/> under the path condition and <paramref name="cond"/>.</summary>
    public void When(T cond, System.Action body)
    {
        var saved = guard;
        guard = A.And(guard, cond);
        if (!Off) body();
        guard = saved;
    }

    /// <summary>The value <paramref name="body"/> returns where <paramref name="cond"/> holds, else <paramref name="otherwise"/>.</summary>
    public T WhenValue(T cond, Func<T> body, T otherwise)
    {
        var saved = guard;
        guard = A.And(guard, cond);
        var result = otherwise;
        if (!Off)
        {
            var v = body();
            result = A.Ite(G, v, otherwise);
        }
        guard = saved;
        return result;
    }

    /// <summary>An ImportError: nothing more of the action runs on this path.</summary>
    public void Raise() { if (!Off) raised = A.Or(raised, G); }

    /// <summary>A property's event: counts where the path runs and no crash came before it.</summary>
    private void Flag(ref T flag, T cond)
    {
        if (Off) return;
        flag = A.Or(flag, A.And(A.And(G, A.Not(Crashed)), cond));
    }

    /// <summary>A path the explicit model rules out (it would throw there): the concrete instance fails loudly.</summary>
    private void Impossible(string what)
    {
        if (A.KnownBool(G) == true) throw new InvalidOperationException($"symbolic machine: {what}");
    }

    // ---- reading and writing through references -------------------------------------------------

    /// <summary><c>field[r]</c>: an <c>ite</c> over the slots <paramref name="r"/> may name.</summary>
    public T Get(T[] field, T r, T otherwise)
    {
        var values = A.Values(r);
        var candidates = values.Where(c => c < field.Length).ToList();
        if (candidates.Count == 1 && values.Count == 1) return field[candidates[0]];
        var acc = otherwise;
        foreach (var c in candidates) acc = A.Ite(A.Eq(r, A.Int(c)), field[c], acc);
        return acc;
    }

    public T Get(T[] field, T r) => Get(field, r, NoneRef);

    /// <summary><c>field[r] = v</c> where the path condition holds.</summary>
    public void SetVia(T[] field, T r, T v)
    {
        foreach (var c in A.Values(r))
            if (c < field.Length) When(A.Eq(r, A.Int(c)), () => Set(field, c, v));
    }

    public T StatusOf(T interp) => Get(S.Status, interp, A.Int((int)InterpStatus.NotCreated));
    public T IsAlive(int interp) => A.Eq(S.Status[interp], A.Int((int)InterpStatus.Alive));
    public T IsAliveT(T interp) => A.Eq(StatusOf(interp), A.Int((int)InterpStatus.Alive));

    /// <summary>Own obmalloc and GIL: the isolated kinds.</summary>
    public T OwnGil(int interp) => interp == Interp.Main
        ? A.False
        : A.Or(A.Eq(S.Kind[interp], A.Int((int)InterpKind.Isolated)), A.Eq(S.Kind[interp], A.Int((int)InterpKind.IsolatedOverride)));
    public T CheckOn(int interp) => interp == Interp.Main ? A.False : A.Eq(S.Kind[interp], A.Int((int)InterpKind.Isolated));
    public T DomainOf(int interp) => A.Ite(OwnGil(interp), A.Int(interp), A.Int(Interp.Main));

    // ---- reference counting ------------------------------------------------------------------------

    public void Incref(T r)
    {
        if (Off) return;
        foreach (var c in A.Values(r))
            if (c < S.Capacity) When(A.Eq(r, A.Int(c)), () => Set(S.ORc, c, A.Inc(S.ORc[c], 1)));
    }

    public void Decref(T r)
    {
        if (Off) return;
        foreach (var c in A.Values(r))
            if (c < S.Capacity) When(A.Eq(r, A.Int(c)), () => DecrefSlot(c));
    }

    private void DecrefSlot(int c)
    {
        if (freeing.Contains(c))
        {
            // A reference to an object being freed: the explicit model throws (use after free); never in a valid run.
            Impossible($"slot {c} is decrefed while it is being freed");
            return;
        }
        // An immortal object's decref writes nothing and emits no event (PEP 683); the model still counts it down.
        Flag(ref DecrefCross, A.And(A.Not(S.OImmortal[c]), A.Not(A.Eq(S.OOwner[c], A.Int(Current)))));
        Set(S.ORc, c, A.Inc(S.ORc[c], -1));
        When(A.Eq(S.ORc[c], A.Int(0)), () => Free(c));
    }

    private void Free(int c)
    {
        freeing.Add(c);
        var foreign = A.Not(A.Eq(S.ODomain[c], DomainOf(Current)));
        var dead = A.And(A.Not(foreign), A.Eq(StatusOf(S.OOwner[c]), A.Int((int)InterpStatus.Ended)));
        Flag(ref ForeignFree, foreign);
        var crash = A.False;
        if (Version.CrashFor(HazardKind.ForeignAllocatorFree) is not null) crash = A.Or(crash, foreign);
        if (Version.CrashFor(HazardKind.DeadOwnerFree) is not null) crash = A.Or(crash, dead);
        Crashed = A.Or(Crashed, A.And(G, crash));
        Set(S.OAlive, c, A.False);
        var refs = ClearReferences(c);
        foreach (var r in refs) Decref(r);
        freeing.Remove(c);
    }

    /// <summary>Empties every reference field of slot <paramref name="c"/>; returns them in the order they are dropped.</summary>
    private T[] ClearReferences(int c)
    {
        // Each kind uses its own fields only (the others are NULL), so one order serves every kind:
        // a module's dict, a function's __self__, a dict's obj, error and function slots.
        T[][] fields = [S.ODict, S.OSelf, S.OObj, S.OError, S.OFn];
        var refs = fields.Select(f => f[c]).ToArray();
        foreach (var f in fields) Set(f, c, NoneRef);
        return refs;
    }

    // ---- allocation ---------------------------------------------------------------------------------

    private int Alloc(ObjKind kind, SlotRole role, T def, T module, T serial)
    {
        var k = slots.Next(role);
        Set(S.OAlive, k, A.True);
        Set(S.OKind, k, A.Int((int)kind));
        Set(S.OOwner, k, A.Int(Current));
        Set(S.ODomain, k, DomainOf(Current));
        Set(S.ORc, k, A.Int(1));
        Set(S.ODef, k, def);
        Set(S.OModule, k, module);
        Set(S.OSerial, k, serial);
        foreach (var f in new[] { S.ODict, S.OSelf, S.OObj, S.OError, S.OFn }) Set(f, k, NoneRef);
        Set(S.OLeaked, k, A.False);
        Set(S.OImmortal, k, A.False);
        return k;
    }

    private T Small(int v) => A.Int(v < 0 ? None : v);

    public T NewDict(T def, T module) => A.Int(Alloc(ObjKind.Dict, SlotRole.LooseDict, def, module, A.Int(0)));

    /// <summary>A module with an empty dict (the dict is allocated first, as in the explicit machine); <paramref name="mdDef"/> -1: a copy module.</summary>
    public (int Module, int Dict) NewModule(int mdDef, int module)
    {
        var init = mdDef >= 0;
        var dict = Alloc(ObjKind.Dict, init ? SlotRole.InitDict : SlotRole.CopyDict, Small(mdDef), Small(module), A.Int(0));
        var mod = Alloc(ObjKind.Module, init ? SlotRole.InitModule : SlotRole.CopyModule, Small(mdDef), Small(module), A.Int(0));
        Set(S.ODict, mod, A.Int(dict));
        return (mod, dict);
    }

    /// <summary>The init's values: bump the C globals' counter, fill the module's dict with new objects.</summary>
    private void FillValues(int mod, int dict, int def, int module, InitKind kind)
    {
        var spec = Cat.Defs[def];
        var serial = A.Inc(S.InitCount[spec.Globals], 1);
        Set(S.InitCount, spec.Globals, serial);
        Set(S.OSerial, mod, serial);
        if (kind is InitKind.Init or InitKind.Reinit && spec is { Style: InitStyle.SinglePhase, MSize: -1 })
            Flag(ref InitAgain, A.Lt(A.Int(1), serial));
        var (d, m) = (A.Int(def), A.Int(module));
        if (spec.Values.HasFlag(ValueSet.List)) StealAttr(A.Int(dict), S.OObj, A.Int(Alloc(ObjKind.List, SlotRole.InitList, d, m, serial)));
        if (spec.Values.HasFlag(ValueSet.Type)) StealAttr(A.Int(dict), S.OError, A.Int(Alloc(ObjKind.Type, SlotRole.InitType, d, m, serial)));
        if (spec.Values.HasFlag(ValueSet.Func))
        {
            var fn = Alloc(ObjKind.Func, SlotRole.InitFunc, d, m, serial);
            Incref(A.Int(mod));
            Set(S.OSelf, fn, A.Int(mod));
            StealAttr(A.Int(dict), S.OFn, A.Int(fn));
        }
    }

    /// <summary>A single-phase init in the current interpreter: index, module, values. Returns the module (a new reference).</summary>
    public T RunInit(int module, InitKind kind)
    {
        var def = Cat.DefIndexOf(module);
        AssignIndexIfUnset(def);
        var (mod, dict) = NewModule(def, module);
        FillValues(mod, dict, def, module, kind);
        return A.Int(mod);
    }

    public void AssignIndexIfUnset(int def) => When(A.Eq(S.MIndex[def], A.Int(0)), () =>
    {
        var next = A.Inc(S.IndexCounter, 1);
        S.IndexCounter = A.Ite(G, next, S.IndexCounter);
        Set(S.MIndex, def, next);
    });

    // ---- dicts -----------------------------------------------------------------------------------

    private T[][] AttrFields => [S.OObj, S.OError, S.OFn];

    public void SetAttr(T dict, T[] attr, T value)
    {
        Incref(value);
        StealAttr(dict, attr, value);
    }

    private void StealAttr(T dict, T[] attr, T value)
    {
        if (Off) return;
        var old = Get(attr, dict);
        SetVia(attr, dict, value);
        Decref(old);
    }

    /// <summary><c>PyDict_Copy</c>: a new dict of the current interpreter with the same values.</summary>
    public T CopyDict(T source)
    {
        var copy = NewDict(Get(S.ODef, source), Get(S.OModule, source));
        foreach (var attr in AttrFields)
        {
            var v = Get(attr, source);
            When(IsObj(v), () => SetAttr(copy, attr, v));
        }
        return copy;
    }

    public void DictUpdate(T dst, T src)
    {
        foreach (var attr in AttrFields)
        {
            var v = Get(attr, src);
            When(IsObj(v), () => SetAttr(dst, attr, v));
        }
    }

    public void ClearDict(T dict)
    {
        foreach (var attr in AttrFields)
            When(IsObj(Get(attr, dict)), () => StealAttr(dict, attr, NoneRef));
    }

    // ---- per-interpreter tables -------------------------------------------------------------------

    public void SetSysModule(int interp, int module, T value)
    {
        if (Off) return;
        Incref(value);
        var old = S.Sys[interp][module];
        Set(S.Sys[interp], module, value);
        Decref(old);
    }

    public void SetMbi(int interp, T index, T value)
    {
        if (Off) return;
        foreach (var x in A.Values(index))
            When(A.Eq(index, A.Int(x)), () =>
            {
                if (x >= S.Indices)
                {
                    // Concretely a real overflow; symbolically a value the over-approximated set allows but no run takes
                    // (the BMC engine sizes the table for one new index per step).
                    if (A.KnownBool(G) == true) throw new SymbolicCapacityException($"m_index {x} is past the encoding's {S.Indices} modules-by-index entries");
                    return;
                }
                Incref(value);
                var old = S.Mbi[interp][x];
                Set(S.Mbi[interp], x, value);
                Decref(old);
            });
    }

    /// <summary><c>PyState_FindModule</c>'s read: modules-by-index at <paramref name="index"/> (0 and past the end: NULL).</summary>
    public T MbiAt(int interp, T index)
    {
        var acc = NoneRef;
        foreach (var x in A.Values(index))
            if (x > 0 && x < S.Indices) acc = A.Ite(A.Eq(index, A.Int(x)), S.Mbi[interp][x], acc);
        return acc;
    }

    public void ClearMbi(int interp)
    {
        if (Off) return;
        var items = S.Mbi[interp].ToArray();
        for (var x = 0; x < S.Indices; x++) Set(S.Mbi[interp], x, NoneRef);
        foreach (var item in items) Decref(item);
    }

    public T AddModule(int module)
    {
        var existing = S.Sys[Current][module];
        var fresh = WhenValue(A.Not(IsObj(existing)), () =>
        {
            var (mod, _) = NewModule(-1, module);
            SetSysModule(Current, module, A.Int(mod));
            return A.Int(mod);
        }, existing);
        When(IsObj(existing), () => Incref(existing));
        return fresh;
    }

    public void SetSysDictCopy(int interp, T steal, bool builtins)
    {
        if (Off) return;
        var arr = builtins ? S.BuiltinsCopy : S.SysDictCopy;
        var old = arr[interp];
        Set(arr, interp, steal);
        Decref(old);
    }

    // ---- m_copy and the cache ---------------------------------------------------------------------

    public void ClearMCopy(int def)
    {
        var old = S.MCopy[def];
        When(IsObj(old), () =>
        {
            Set(S.MCopy, def, NoneRef);
            Decref(old);
        });
    }

    public void ReplaceMCopy(int def, T steal)
    {
        if (Off) return;
        var old = S.MCopy[def];
        Set(S.MCopy, def, steal);
        Decref(old);
    }

    public void SetCache(int module, T present, T mIndex, T mInit, T copied, T copiedOwner)
    {
        Set(S.CPresent, module, present);
        Set(S.CMIndex, module, mIndex);
        Set(S.CMInit, module, mInit);
        Set(S.CCopied, module, copied);
        Set(S.CCopiedOwner, module, copiedOwner);
    }

    /// <summary>3.10-3.12's cache value (the def pointer).</summary>
    public void CacheDef(int module) => SetCache(module, A.True, A.Int(0), A.False, NoneRef, NoneRef);
    public void CacheAbsent(int module) => SetCache(module, A.False, A.Int(0), A.False, NoneRef, NoneRef);

    // ---- fix strategies: per-interpreter tables, immortal objects ------------------------------------

    /// <summary>Points <paramref name="interp"/>'s own <c>m_copy</c> of <paramref name="def"/> at <paramref name="steal"/>; the old one is dropped after, in the current interpreter.</summary>
    public void SetOwnMCopy(int interp, int def, T steal)
    {
        if (Off) return;
        var old = S.OwnMCopy[interp][def];
        Set(S.OwnMCopy[interp], def, steal);
        Decref(old);
    }

    public void SetOwnKey(int interp, int module, T present) => Set(S.OwnKeys[interp], module, present);

    /// <summary>An interpreter's own def copies go with it: each own <c>m_copy</c> dropped in def order, then every own key.</summary>
    public void ClearOwnTables(int interp)
    {
        for (var d = 0; d < S.Defs; d++)
        {
            var def = d;
            When(IsObj(S.OwnMCopy[interp][d]), () => SetOwnMCopy(interp, def, NoneRef));
        }
        for (var k = 0; k < S.Modules; k++) SetOwnKey(interp, k, A.False);
    }

    /// <summary>
    /// <c>_Py_SetImmortal</c> on <paramref name="root"/> and what it reaches through objects not yet immortal (the explicit
    /// walk stops at an immortal object): each such object gets the runtime's reference and the flag. The reach is a fixed
    /// number of rounds, as the collector's walk; the concrete instance checks that one more round adds nothing.
    /// </summary>
    public void Immortalize(T root)
    {
        if (Off) return;
        var reach = new T[S.Capacity];
        Array.Fill(reach, A.False);
        void Mark(T r, T cond)
        {
            foreach (var c in A.Values(r))
                if (c < S.Capacity) reach[c] = A.Or(reach[c], A.And(A.And(cond, A.Eq(r, A.Int(c))), A.Not(S.OImmortal[c])));
        }
        Mark(root, A.True);
        Spread(reach, Mark, "the immortalizing walk");
        for (var k = 0; k < S.Capacity; k++)
        {
            var slot = k;
            When(reach[k], () =>
            {
                Set(S.OImmortal, slot, A.True);
                Set(S.ORc, slot, A.Inc(S.ORc[slot], 1));
            });
        }
    }

    /// <summary>
    /// The end of the runtime for immortal objects: each live one becomes mortal again, then the runtime drops its
    /// reference to each, in slot order (the explicit heap's order), in the current interpreter.
    /// </summary>
    public void ReleaseImmortals()
    {
        if (Off) return;
        var immortal = Enumerable.Range(0, S.Capacity).Select(k => A.And(S.OAlive[k], S.OImmortal[k])).ToArray();
        for (var k = 0; k < S.Capacity; k++)
        {
            var slot = k;
            When(immortal[k], () => Set(S.OImmortal, slot, A.False));
        }
        // Each still holds the runtime's reference until its own turn, so none is freed before it.
        for (var k = 0; k < S.Capacity; k++)
        {
            var slot = k;
            When(immortal[k], () => Decref(A.Int(slot)));
        }
    }

    // ---- the collector --------------------------------------------------------------------------------

    /// <summary>Which slots the roots reach (a fixed number of rounds; the concrete instance checks that it is enough).</summary>
    public T[] Walk()
    {
        var reach = new T[S.Capacity];
        Array.Fill(reach, A.False);
        void Mark(T r, T cond)
        {
            foreach (var c in A.Values(r))
                if (c < S.Capacity) reach[c] = A.Or(reach[c], A.And(cond, A.Eq(r, A.Int(c))));
        }
        for (var d = 0; d < S.Defs; d++) Mark(S.MCopy[d], A.True);
        for (var m = 0; m < S.Modules; m++) Mark(S.CCopied[m], A.True);
        for (var i = 0; i < S.Interps; i++)
        {
            foreach (var r in S.Sys[i]) Mark(r, A.True);
            foreach (var r in S.Mbi[i]) Mark(r, A.True);
            Mark(S.SysDictCopy[i], A.True);
            Mark(S.BuiltinsCopy[i], A.True);
            foreach (var r in S.OwnMCopy[i]) Mark(r, A.True);
        }
        Spread(reach, Mark, "the walk from the roots");
        return reach;
    }

    /// <summary>
    /// Rounds of "reached by a reached object": <paramref name="mark"/> is given every reference field of every slot
    /// <paramref name="reach"/> may hold, under that slot's reach. The last round only checks, in the concrete instance,
    /// that <paramref name="walk"/> had already converged.
    /// </summary>
    private void Spread(T[] reach, Action<T, T> mark, string walk)
    {
        T[][] fields = [S.ODict, S.OSelf, S.OObj, S.OError, S.OFn];
        for (var round = 0; round <= WalkRounds; round++)
        {
            var before = round == WalkRounds ? reach.ToArray() : null;
            for (var k = 0; k < S.Capacity; k++)
            {
                if (A.KnownBool(reach[k]) == false) continue;
                foreach (var f in fields) mark(f[k], reach[k]);
            }
            if (before is not null)
                for (var k = 0; k < S.Capacity; k++)
                    if (A.KnownBool(reach[k]) is { } now && A.KnownBool(before[k]) is { } was && now != was)
                        throw new SymbolicCapacityException($"{walk} needs more than {WalkRounds} rounds");
        }
    }

    /// <summary>One collection by <paramref name="interp"/>: its unreachable objects are cleared, which frees their cycles.</summary>
    public void CollectUnreachable(int interp, T[] reach)
    {
        if (Off) return;
        var garbage = new T[S.Capacity];
        for (var k = 0; k < S.Capacity; k++)
            // No collector tracks an immortal object.
            garbage[k] = A.And(A.And(A.And(S.OAlive[k], A.Not(reach[k])), A.Eq(S.OOwner[k], A.Int(interp))), A.Not(S.OImmortal[k]));
        var before = Current;
        Current = interp;
        for (var k = 0; k < S.Capacity; k++)
        {
            var slot = k;
            When(A.And(garbage[k], S.OAlive[k]), () =>
            {
                var refs = ClearReferences(slot);
                foreach (var r in refs) Decref(r);
            });
        }
        Current = before;
    }

    public void Collect(int interp) => CollectUnreachable(interp, Walk());

    /// <summary>
    /// The position of each interpreter in creation order among those ever created (main first).
    /// </summary>
    public T[] Ranks()
    {
        var ranks = new T[S.Interps];
        for (var i = 0; i < S.Interps; i++)
        {
            var r = A.Int(0);
            for (var j = 0; j < S.Interps; j++)
                if (j != i) r = A.Add(r, A.Ite(A.And(A.Lt(A.Int(0), S.Born[j]), A.Lt(S.Born[j], S.Born[i])), A.Int(1), A.Int(0)));
            ranks[i] = r;
        }
        return ranks;
    }

    /// <summary>Every live interpreter's collector, oldest first.</summary>
    public void CollectAllLive()
    {
        var ranks = Ranks();
        for (var p = 0; p < S.Interps; p++)
        {
            if (Off) return;
            var reach = Walk();
            for (var i = 0; i < S.Interps; i++)
            {
                var interp = i;
                When(A.And(A.Eq(ranks[i], A.Int(p)), IsAlive(i)), () => CollectUnreachable(interp, reach));
            }
        }
    }

    public void LeakSurvivors(int interp)
    {
        for (var k = 0; k < S.Capacity; k++)
        {
            var slot = k;
            When(A.And(A.And(S.OAlive[k], A.Eq(S.OOwner[k], A.Int(interp))), A.Not(S.OLeaked[k])), () =>
            {
                Set(S.ORc, slot, A.Inc(S.ORc[slot], 1));
                Set(S.OLeaked, slot, A.True);
            });
        }
    }

    // ---- interpreters -------------------------------------------------------------------------------

    public void SetAlive(int interp, InterpKind kind)
    {
        var born = A.Int(0);
        for (var j = 0; j < S.Interps; j++) born = A.Ite(A.Lt(born, S.Born[j]), S.Born[j], born);
        Set(S.Born, interp, A.Inc(born, 1));
        Set(S.Status, interp, A.Int((int)InterpStatus.Alive));
        Set(S.Kind, interp, A.Int((int)kind));
    }

    // ---- one transition (Semantics.Run) ---------------------------------------------------------------

    /// <summary>Whether <paramref name="a"/> is enabled (the explicit precondition; the configuration's alphabet already fits the slots).</summary>
    public T Enabled(Action a)
    {
        var running = A.Eq(S.Phase, A.Int((int)ProcessPhase.Running));
        T cond = a switch
        {
            NewInterp n => n.Mode != InterpKind.Legacy && !Version.HasIsolatedInterpreters
                ? A.False
                : A.Eq(S.Status[n.I], A.Int((int)InterpStatus.NotCreated)),
            EndInterp e => e.I == Interp.Main ? A.False : IsAlive(e.I),
            Import m => IsAlive(m.I),
            Reload m => A.And(IsAlive(m.I), IsObj(S.Sys[m.I][m.Module])),
            DelSysModules m => A.And(IsAlive(m.I), IsObj(S.Sys[m.I][m.Module])),
            ClearExtension m => Version.HasClearExtension ? IsAlive(m.I) : A.False,
            Finalization => A.True,
            _ => throw new SymbolicCapacityException($"the action {a.Op} is not encoded"),
        };
        if (a is ModuleAction ma && Cat.IsCore(ma.Module)) cond = A.False;
        return A.And(running, cond);
    }

    /// <summary>
    /// Applies <paramref name="a"/> (assumed enabled) to <see cref="S"/>: the action, then every live collector, then
    /// the crash rule (a crashing step leaves the state before it, in phase Crashed).
    /// </summary>
    public void Step(Action a)
    {
        var before = S.Clone();
        RunAction(a);
        EndStep(before);
    }

    /// <summary>
    /// The first part of <see cref="Step"/>: the action alone, then main current again. The state may still hold the
    /// action's garbage, and <see cref="Crashed"/> and the findings say what the action did.
    /// </summary>
    public void RunAction(Action a)
    {
        Run(a);
        raised = A.False;
        Current = Interp.Main;
    }

    /// <summary>
    /// The rest of <see cref="Step"/>, the same for every action: every live collector, then the crash rule against
    /// <paramref name="before"/>, the state the step started from. BMC runs it once a step on the merged result of all
    /// the actions' <see cref="RunAction"/>, with <see cref="Crashed"/> and the findings merged the same way, instead
    /// of once per action.
    /// </summary>
    public void EndStep(SymState<T> before)
    {
        When(A.Eq(S.Phase, A.Int((int)ProcessPhase.Running)), CollectAllLive);
        foreach (var ((_, b, _), (_, s, _)) in before.Arrays().Zip(S.Arrays()))
            for (var k = 0; k < s.Length; k++) s[k] = A.Ite(Crashed, b[k], s[k]);
        S.Phase = A.Ite(Crashed, A.Int((int)ProcessPhase.Crashed), S.Phase);
    }

    private void Run(Action a)
    {
        switch (a)
        {
            case NewInterp n:
                SetAlive(n.I, n.Mode);
                Current = n.I;
                Version.CreateCoreModules(this, n.I);
                break;
            case EndInterp e:
                EndInterpreter(e.I);
                break;
            case Import i:
                Current = i.I;
                When(A.Not(IsObj(S.Sys[i.I][i.Module])), () => Load(i.I, i.Module));
                break;
            case DelSysModules d:
                Current = d.I;
                SetSysModule(d.I, d.Module, NoneRef);
                break;
            case Reload:
                break;
            case ClearExtension c:
                Current = c.I;
                Version.ClearCachedExtension(this, c.I, c.Module);
                break;
            case Finalization:
                FinalizeProcess();
                break;
            default:
                throw new SymbolicCapacityException($"the action {a.Op} is not encoded");
        }
    }

    private void Load(int interp, int module)
    {
        var mod = Version.CreateSinglePhase(this, interp, module);
        SetSysModule(interp, module, mod);
        Decref(mod);
    }

    private void EndInterpreter(int interp)
    {
        Current = interp;
        FinalizeModules(interp);
        SetSysDictCopy(interp, NoneRef, builtins: false);
        SetSysDictCopy(interp, NoneRef, builtins: true);
        Collect(interp);
        if (Version.LeaksSurvivorsAtTeardown) LeakSurvivors(interp);
        Set(S.Status, interp, A.Int((int)InterpStatus.Ended));
        Current = Interp.Main;
    }

    private void FinalizeModules(int interp)
    {
        var weak = S.Sys[interp].ToArray();
        for (var m = 0; m < S.Modules; m++)
        {
            var module = m;
            When(IsObj(weak[m]), () => SetSysModule(interp, module, NoneRef));
        }
        Collect(interp);
        foreach (var x in weak)
            When(A.And(IsObj(x), Get(S.OAlive, x, A.False)), () => ClearDict(Get(S.ODict, x)));
        ClearModulesByIndex(interp);
        Version.DropOwnTables(this, interp);
        Collect(interp);
    }

    private void ClearModulesByIndex(int interp)
    {
        foreach (var x in S.Mbi[interp].ToArray())
            foreach (var c in A.Values(x))
            {
                if (c >= S.Capacity) continue;
                var slot = c;
                When(A.And(A.Eq(x, A.Int(c)), S.OAlive[c]), () =>
                {
                    var def = S.ODef[slot];
                    foreach (var d in A.Values(def))
                        if (d < S.Defs) When(A.Eq(def, A.Int(d)), () => ClearMCopy(d));
                });
            }
        ClearMbi(interp);
    }

    private void FinalizeProcess()
    {
        if (!Version.EndsSubinterpretersAfterMainModules) EndRemaining();
        Current = Interp.Main;
        FinalizeModules(Interp.Main);
        if (Version.EndsSubinterpretersAfterMainModules) EndRemaining();
        Version.FinalizeRuntime(this);
        SetSysDictCopy(Interp.Main, NoneRef, builtins: false);
        SetSysDictCopy(Interp.Main, NoneRef, builtins: true);
        Collect(Interp.Main);
        Set(S.Status, Interp.Main, A.Int((int)InterpStatus.Ended));
        S.Phase = A.Ite(G, A.Int((int)ProcessPhase.Finalized), S.Phase);
    }

    /// <summary>The remaining subinterpreters end, newest first.</summary>
    private void EndRemaining()
    {
        var ranks = Ranks();
        for (var p = S.Interps - 1; p >= 1; p--)
            for (var i = 1; i < S.Interps; i++)
            {
                var interp = i;
                When(A.And(A.Eq(ranks[i], A.Int(p)), IsAlive(i)), () => EndInterpreter(interp));
            }
        Current = Interp.Main;
    }

    // ---- helpers the versions share ----------------------------------------------------------------------

    /// <summary>The <c>m_size == -1</c> cache hit: <c>import_add_module</c>, a shallow update from <paramref name="source"/>, modules-by-index.</summary>
    public T CopyFromCache(int interp, int module, T source) => CopyFromCache(interp, module, source, S.MIndex[Cat.DefIndexOf(module)]);

    /// <summary><see cref="CopyFromCache(int, int, T)"/> into modules-by-index at <paramref name="index"/> (3.13: the record's).</summary>
    public T CopyFromCache(int interp, int module, T source, T index)
    {
        var mod = AddModule(module);
        DictUpdate(Get(S.ODict, mod), source);
        SetMbi(interp, index, mod);
        return mod;
    }

    public T BuildCoreModule(int module) => RunInit(module, InitKind.CoreCreate);

    public void KeepCoreDictCopy(int interp, int module, T mod) =>
        SetSysDictCopy(interp, CopyDict(Get(S.ODict, mod)), builtins: Cat.Modules[module].Name == "builtins");
}
