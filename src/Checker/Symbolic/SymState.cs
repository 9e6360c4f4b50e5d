using Verify.Model;

namespace Verify.Checker.Symbolic;

/// <summary>
/// The model's <see cref="State"/> as a fixed set of terms of an algebra (docs/symbolic.md). The heap is a bounded array of
/// <see cref="Capacity"/> object slots, each with every field of <see cref="HeapObject"/> plus <c>alive</c>; a reference
/// is a slot number or <see cref="None"/>. Modules-by-index is a fixed array of <see cref="Indices"/> entries per
/// interpreter. Enumerations are their numeric values; -1 (no def, no owner) and NULL are <see cref="None"/>; an
/// interpreter's birth order is stored plus one (0: never created). The fix strategies' extra state is encoded too:
/// each interpreter's own <c>m_copy</c> per def and own cache key per module (<see cref="OwnMCopy"/>, <see cref="OwnKeys"/>;
/// the explicit model's empty table is a table of NULLs / falses here), each object's immortal flag and each C-globals
/// group's opt-out <c>loaded</c> flag.
/// </summary>
public sealed class SymState<T>
{
    public const int None = IAlgebra<T>.Max;

    public readonly int Interps, Modules, Defs, Groups, Capacity, Indices;

    /// <summary>[0] the process phase, [1] the index counter.</summary>
    public readonly T[] Scalars = new T[2];
    public readonly T[] Status, Kind, Born, SysDictCopy, BuiltinsCopy;
    public readonly T[][] Sys, Mbi;
    /// <summary>Fix strategies (a) and (b): per interpreter, its own <c>m_copy</c> per def and (a) its own cache key per module.</summary>
    public readonly T[][] OwnMCopy, OwnKeys;
    public readonly T[] MIndex, MInit, MCopy;
    public readonly T[] CPresent, CMIndex, CMInit, CCopied, CCopiedOwner;
    public readonly T[] InitCount, Loaded;
    public readonly T[] OAlive, OKind, OOwner, ODomain, ORc, ODef, OModule, OSerial, ODict, OSelf, OObj, OError, OFn, OLeaked, OImmortal;

    public SymState(int interps, int modules, int defs, int groups, int capacity, int indices)
    {
        (Interps, Modules, Defs, Groups, Capacity, Indices) = (interps, modules, defs, groups, capacity, indices);
        Status = new T[interps]; Kind = new T[interps]; Born = new T[interps];
        SysDictCopy = new T[interps]; BuiltinsCopy = new T[interps];
        Sys = new T[interps][]; Mbi = new T[interps][];
        OwnMCopy = new T[interps][]; OwnKeys = new T[interps][];
        for (var i = 0; i < interps; i++)
        {
            Sys[i] = new T[modules]; Mbi[i] = new T[indices];
            OwnMCopy[i] = new T[defs]; OwnKeys[i] = new T[modules];
        }
        MIndex = new T[defs]; MInit = new T[defs]; MCopy = new T[defs];
        CPresent = new T[modules]; CMIndex = new T[modules]; CMInit = new T[modules]; CCopied = new T[modules]; CCopiedOwner = new T[modules];
        InitCount = new T[groups]; Loaded = new T[groups];
        OAlive = new T[capacity]; OKind = new T[capacity]; OOwner = new T[capacity]; ODomain = new T[capacity];
        ORc = new T[capacity]; ODef = new T[capacity]; OModule = new T[capacity]; OSerial = new T[capacity];
        ODict = new T[capacity]; OSelf = new T[capacity]; OObj = new T[capacity]; OError = new T[capacity];
        OFn = new T[capacity]; OLeaked = new T[capacity]; OImmortal = new T[capacity];
    }

    public T Phase { get => Scalars[0]; set => Scalars[0] = value; }
    public T IndexCounter { get => Scalars[1]; set => Scalars[1] = value; }

    /// <summary>Every array of terms, in a fixed order, each with its name and whether it holds booleans.</summary>
    public IEnumerable<(string Name, T[] Terms, bool IsBool)> Arrays()
    {
        yield return ("scalar", Scalars, false);
        yield return ("status", Status, false);
        yield return ("kind", Kind, false);
        yield return ("born", Born, false);
        yield return ("sysdict", SysDictCopy, false);
        yield return ("builtins", BuiltinsCopy, false);
        for (var i = 0; i < Interps; i++) yield return ($"sys{i}", Sys[i], false);
        for (var i = 0; i < Interps; i++) yield return ($"mbi{i}", Mbi[i], false);
        for (var i = 0; i < Interps; i++) yield return ($"ownmcopy{i}", OwnMCopy[i], false);
        for (var i = 0; i < Interps; i++) yield return ($"ownkeys{i}", OwnKeys[i], true);
        yield return ("mindex", MIndex, false);
        yield return ("minit", MInit, true);
        yield return ("mcopy", MCopy, false);
        yield return ("cpresent", CPresent, true);
        yield return ("cmindex", CMIndex, false);
        yield return ("cminit", CMInit, true);
        yield return ("ccopied", CCopied, false);
        yield return ("cowner", CCopiedOwner, false);
        yield return ("initcount", InitCount, false);
        yield return ("loaded", Loaded, true);
        yield return ("alive", OAlive, true);
        yield return ("okind", OKind, false);
        yield return ("owner", OOwner, false);
        yield return ("domain", ODomain, false);
        yield return ("rc", ORc, false);
        yield return ("odef", ODef, false);
        yield return ("omodule", OModule, false);
        yield return ("serial", OSerial, false);
        yield return ("dict", ODict, false);
        yield return ("self", OSelf, false);
        yield return ("obj", OObj, false);
        yield return ("error", OError, false);
        yield return ("fn", OFn, false);
        yield return ("leaked", OLeaked, true);
        yield return ("immortal", OImmortal, true);
    }

    public SymState<T> Clone()
    {
        var c = new SymState<T>(Interps, Modules, Defs, Groups, Capacity, Indices);
        foreach (var ((_, from, _), (_, to, _)) in Arrays().Zip(c.Arrays())) from.CopyTo(to, 0);
        return c;
    }

    /// <summary>
    /// <paramref name="s"/> in the terms of <paramref name="a"/>: heap object k in slot k, the slots from the heap's
    /// size on free. Throws <see cref="SymbolicCapacityException"/> if it does not fit.
    /// </summary>
    public static SymState<T> Load(IAlgebra<T> a, State s, Catalogue cat, int capacity, int indices)
    {
        if (s.Heap.Count > capacity) throw new SymbolicCapacityException($"the state has {s.Heap.Count} objects; the encoding has room for {capacity}");
        var r = new SymState<T>(s.Interps.Count, cat.Modules.Count, cat.Defs.Count, cat.Globals.Count, capacity, indices);
        T Ref(ObjId id) => id.IsConstant
            ? throw new SymbolicCapacityException("an immortal constant in a dict (set_attr) is not encoded")
            : a.Int(id.IsNone ? None : id.Value);
        T Small(int v) => a.Int(v < 0 ? None : v);
        T B(bool b) => b ? a.True : a.False;
        r.Phase = a.Int((int)s.Phase);
        r.IndexCounter = a.Int(s.IndexCounter);
        for (var i = 0; i < s.Interps.Count; i++)
        {
            var it = s.Interps[i];
            r.Status[i] = a.Int((int)it.Status);
            r.Kind[i] = a.Int((int)it.Kind);
            r.Born[i] = a.Int(it.Born + 1);
            r.SysDictCopy[i] = Ref(it.SysDictCopy);
            r.BuiltinsCopy[i] = Ref(it.BuiltinsCopy);
            for (var m = 0; m < r.Modules; m++) r.Sys[i][m] = Ref(it.SysModule(m));
            if (it.ModulesByIndex.Count > indices)
                throw new SymbolicCapacityException($"modules-by-index of {Interp.Name(i)} has {it.ModulesByIndex.Count} entries; the encoding has room for {indices}");
            for (var x = 0; x < indices; x++) r.Mbi[i][x] = Ref(x < it.ModulesByIndex.Count ? it.ModulesByIndex[x] : ObjId.None);
            for (var d = 0; d < r.Defs; d++) r.OwnMCopy[i][d] = Ref(it.OwnMCopyOf(d));
            for (var m = 0; m < r.Modules; m++) r.OwnKeys[i][m] = B(it.OwnsKey(m));
        }
        for (var d = 0; d < r.Defs; d++)
        {
            r.MIndex[d] = a.Int(s.Defs[d].MIndex);
            r.MInit[d] = B(s.Defs[d].MInit);
            r.MCopy[d] = Ref(s.Defs[d].MCopy);
        }
        for (var m = 0; m < r.Modules; m++)
        {
            var c = s.Cache[m];
            r.CPresent[m] = B(c.Present);
            r.CMIndex[m] = a.Int(c.MIndex);
            r.CMInit[m] = B(c.MInit);
            r.CCopied[m] = Ref(c.Copied);
            r.CCopiedOwner[m] = Small(c.CopiedOwner);
        }
        for (var g = 0; g < r.Groups; g++)
        {
            r.InitCount[g] = a.Int(s.Globals[g].InitCount);
            r.Loaded[g] = B(s.Globals[g].Loaded);
        }
        for (var k = 0; k < capacity; k++)
        {
            var o = k < s.Heap.Count ? s.Heap[k] : default;
            var alive = k < s.Heap.Count;
            r.OAlive[k] = B(alive);
            r.OKind[k] = a.Int((int)o.Kind);
            r.OOwner[k] = a.Int(alive ? o.Owner : 0);
            r.ODomain[k] = a.Int(alive ? o.Domain : 0);
            r.ORc[k] = a.Int(alive ? o.RefCount : 0);
            r.ODef[k] = Small(alive ? o.Def : -1);
            r.OModule[k] = Small(alive ? o.Module : -1);
            r.OSerial[k] = a.Int(o.Serial);
            r.ODict[k] = Ref(alive ? o.Dict : ObjId.None);
            r.OSelf[k] = Ref(alive ? o.Self : ObjId.None);
            r.OObj[k] = Ref(alive ? o.Obj : ObjId.None);
            r.OError[k] = Ref(alive ? o.Error : ObjId.None);
            r.OFn[k] = Ref(alive ? o.Fn : ObjId.None);
            r.OLeaked[k] = B(o.Leaked);
            r.OImmortal[k] = B(o.Immortal);
        }
        return r;
    }
}

/// <summary>Concrete states back to the model's <see cref="State"/>.</summary>
public static class SymDecode
{
    /// <summary>
    /// The explicit state <paramref name="s"/> stands for: the live slots in slot order, then numbered canonically by
    /// <see cref="Machine.Freeze"/> (the same numbering every explicit state has).
    /// </summary>
    public static State ToState(SymState<int> s, Catalogue cat)
    {
        const int none = SymState<int>.None;
        var map = new int[s.Capacity];
        var heap = new List<HeapObject>();
        for (var k = 0; k < s.Capacity; k++)
        {
            map[k] = -1;
            if (s.OAlive[k] == 0) continue;
            map[k] = heap.Count;
            heap.Add(default);
        }
        ObjId Ref(int v)
        {
            if (v == none) return ObjId.None;
            if (v >= s.Capacity || map[v] < 0) throw new InvalidOperationException($"a reference to slot {v}, which holds no live object");
            return new ObjId(map[v]);
        }
        sbyte Small(int v) => (sbyte)(v == none ? -1 : v);
        for (var k = 0; k < s.Capacity; k++)
        {
            if (map[k] < 0) continue;
            heap[map[k]] = new HeapObject((ObjKind)s.OKind[k], (sbyte)s.OOwner[k], (sbyte)s.ODomain[k], (short)s.ORc[k],
                Small(s.ODef[k]), Small(s.OModule[k]), (short)s.OSerial[k],
                Ref(s.ODict[k]), Ref(s.OSelf[k]), Ref(s.OObj[k]), Ref(s.OError[k]), Ref(s.OFn[k]), s.OLeaked[k] != 0, s.OImmortal[k] != 0);
        }
        var interps = new InterpState[s.Interps];
        for (var i = 0; i < s.Interps; i++)
        {
            var status = (InterpStatus)s.Status[i];
            if (status == InterpStatus.NotCreated) { interps[i] = InterpState.NotCreated; continue; }
            var n = s.Indices;
            while (n > 0 && s.Mbi[i][n - 1] == none) n--;
            // The own tables in full; Freeze makes a table holding nothing the empty one, as the explicit model keeps it.
            interps[i] = new InterpState(status, (InterpKind)s.Kind[i], s.Born[i] - 1,
                ValueArray.From(s.Sys[i].Select(Ref)), ValueArray.From(s.Mbi[i].Take(n).Select(Ref)),
                Ref(s.SysDictCopy[i]), Ref(s.BuiltinsCopy[i]),
                ValueArray.From(s.OwnMCopy[i].Select(Ref)), ValueArray.From(s.OwnKeys[i].Select(k => k != 0)));
        }
        var defs = Enumerable.Range(0, s.Defs).Select(d => new DefState(s.MIndex[d], s.MInit[d] != 0, Ref(s.MCopy[d])));
        var cache = Enumerable.Range(0, s.Modules).Select(m =>
            new CacheEntry(s.CPresent[m] != 0, s.CMIndex[m], s.CMInit[m] != 0, Ref(s.CCopied[m]), Small(s.CCopiedOwner[m])));
        var globals = s.InitCount.Select((c, g) => new CGlobals(c, s.Loaded[g] != 0));
        var raw = new State((ProcessPhase)s.Phase, ValueArray.From(interps), ValueArray.From(defs), ValueArray.From(cache),
            ValueArray.From(globals), s.IndexCounter, ValueArray.From(heap));
        return new Machine(cat, raw).Freeze();
    }
}
