namespace Verify.Model;

/// <summary>
/// The whole modelled process between two actions: runtime (defs, extension cache, index counter,
/// C globals), interpreters, and the heap. Immutable; equality and hashing are structural, and the hash
/// is computed once, on first use (a searcher that never hashes a state pays nothing). States built by a
/// step share the tables (arrays) the step left unchanged with the state it started from. Objects are numbered canonically (by a fixed walk from the roots) whenever a state
/// is built, so two states that differ only in allocation history are equal.
/// </summary>
public sealed class State : IEquatable<State>
{
    public ProcessPhase Phase { get; }
    public ValueArray<InterpState> Interps { get; }
    public ValueArray<DefState> Defs { get; }
    /// <summary>Indexed by catalogue module: the key (path, name) of that module.</summary>
    public ValueArray<CacheEntry> Cache { get; }
    public ValueArray<CGlobals> Globals { get; }
    /// <summary>The last <c>m_index</c> handed out (process-wide counter).</summary>
    public int IndexCounter { get; }
    public ValueArray<HeapObject> Heap { get; }

    // The structural hash, computed on first use: 0 until then, else the hash with bit 32 set (one 64-bit
    // write, so a state shared between threads never shows a half-written hash).
    private long hash;

    public State(ProcessPhase phase, ValueArray<InterpState> interps, ValueArray<DefState> defs,
        ValueArray<CacheEntry> cache, ValueArray<CGlobals> globals, int indexCounter, ValueArray<HeapObject> heap)
    {
        Phase = phase;
        Interps = interps;
        Defs = defs;
        Cache = cache;
        Globals = globals;
        IndexCounter = indexCounter;
        Heap = heap;
    }

    /// <summary>The same process in another phase (e.g. crashed in the middle of the next step).</summary>
    public State WithPhase(ProcessPhase phase) =>
        new(phase, Interps, Defs, Cache, Globals, IndexCounter, Heap) { RootWalked = RootWalked };

    /// <summary>
    /// How many objects, from index 0, are numbered in the order of the walk from the roots that
    /// <see cref="CanonicalForm"/> makes under the slots' own order (every def's <c>m_copy</c>, every cache record's
    /// dict, then each interpreter's roots in slot order; each object's references depth first), and are exactly the
    /// objects it reaches; -1 if not known. <see cref="Machine.Freeze"/> numbers every state it builds so, which spares
    /// the encoding that walk.
    /// </summary>
    internal int RootWalked { get; init; } = -1;

    public InterpState Interp(int id) => Interps[id];
    public HeapObject Obj(ObjId id) => Heap[id.Value];
    public int Slots => Interps.Count - 1;
    public bool IsRunning => Phase == ProcessPhase.Running;

    public bool IsAlive(int interp) => interp >= 0 && interp < Interps.Count && Interps[interp].IsAlive;

    /// <summary>The allocator domain of an interpreter: its own id if isolated, else main's (0).</summary>
    public int DomainOf(int interp) => Interps[interp].OwnAllocator ? interp : Model.Interp.Main;

    /// <summary>Every root reference of the state, in the fixed order used for canonical numbering.</summary>
    public IEnumerable<ObjId> Roots()
    {
        foreach (var d in Defs) yield return d.MCopy;
        foreach (var c in Cache) yield return c.Copied;
        foreach (var i in Interps)
        {
            foreach (var m in i.SysModules) yield return m;
            foreach (var m in i.ModulesByIndex) yield return m;
            yield return i.SysDictCopy;
            yield return i.BuiltinsCopy;
            foreach (var c in i.OwnMCopy) yield return c;
        }
    }

    /// <summary>Objects reachable from the roots.</summary>
    public bool[] Reachable()
    {
        var seen = new bool[Heap.Count];
        MarkReachable(seen);
        return seen;
    }

    /// <summary>
    /// <see cref="Reachable"/> into <paramref name="seen"/> (one flag per heap object, all false on entry), without
    /// allocating for heaps of up to 512 objects.
    /// </summary>
    public void MarkReachable(Span<bool> seen)
    {
        var n = Heap.Count;
        if (seen.Length < n) throw new ArgumentException($"room for {seen.Length} flags, the heap has {n} objects", nameof(seen));
        var stack = n <= 512 ? stackalloc int[n] : new int[n]; // each object is pushed at most once
        var top = 0;
        var heap = Heap.AsSpan();
        foreach (var d in Defs.AsSpan()) Push(d.MCopy, seen, stack, ref top);
        foreach (var c in Cache.AsSpan()) Push(c.Copied, seen, stack, ref top);
        foreach (var i in Interps.AsSpan())
        {
            foreach (var m in i.SysModules.AsSpan()) Push(m, seen, stack, ref top);
            foreach (var m in i.ModulesByIndex.AsSpan()) Push(m, seen, stack, ref top);
            Push(i.SysDictCopy, seen, stack, ref top);
            Push(i.BuiltinsCopy, seen, stack, ref top);
            foreach (var c in i.OwnMCopy.AsSpan()) Push(c, seen, stack, ref top);
        }
        while (top > 0)
        {
            ref readonly var o = ref heap[stack[--top]];
            switch (o.Kind)
            {
                case ObjKind.Module: Push(o.Dict, seen, stack, ref top); break;
                case ObjKind.Func: Push(o.Self, seen, stack, ref top); break;
                case ObjKind.Dict:
                    Push(o.Obj, seen, stack, ref top);
                    Push(o.Error, seen, stack, ref top);
                    Push(o.Fn, seen, stack, ref top);
                    break;
            }
        }
    }

    private static void Push(ObjId r, Span<bool> seen, Span<int> stack, ref int top)
    {
        if (r.IsObject && !seen[r.Value]) { seen[r.Value] = true; stack[top++] = r.Value; }
    }

    /// <summary>
    /// Structural equality. When both hashes are already known, differing hashes settle it at once (the hash is a
    /// function of the structure); otherwise the fields are compared without computing any hash.
    /// </summary>
    public bool Equals(State? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        var (h, g) = (Volatile.Read(ref hash), Volatile.Read(ref other.hash));
        if (h != 0 && g != 0 && h != g) return false;
        return Phase == other.Phase && IndexCounter == other.IndexCounter &&
            Heap == other.Heap && Defs == other.Defs && Cache == other.Cache &&
            Globals == other.Globals && Interps == other.Interps;
    }

    public override bool Equals(object? obj) => Equals(obj as State);

    public override int GetHashCode()
    {
        var h = Volatile.Read(ref hash);
        if (h == 0)
        {
            h = (1L << 32) | (uint)HashCode.Combine(Phase, Interps, Defs, Cache, Globals, IndexCounter, Heap);
            Volatile.Write(ref hash, h);
        }
        return (int)h;
    }
}
