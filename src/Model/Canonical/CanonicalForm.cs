using System.Buffers.Binary;

namespace Verify.Model;

/// <summary>
/// The canonical encoding of a state: one byte string per class of equivalent states, which the explorer
/// fingerprints or stores. Two abstractions make the reachable space finite and small, and both preserve
/// every transition and every property (a bisimulation), so searching the encodings loses nothing:
/// <list type="bullet">
/// <item>Counters are abstracted. No transition reads which init made an object (its serial) or how many
/// inits ran, only whether one ran (init-once), so serials are dropped and init counters saturate at 1;
/// <c>m_index</c> values only name the slots of modules-by-index and their order, so they become ranks;
/// creation stamps only order the live interpreters, so they become ranks too.</item>
/// <item>Symmetry: subinterpreter slots of one kind are interchangeable. The encoding chooses the slot order:
/// live slots by creation order, then ended ones (every order of those is tried and the smallest encoding
/// wins), then never-created ones, which are identical.</item>
/// </list>
/// Objects are numbered by the walk from the roots in that slot order. One instance per thread: it reuses
/// its buffers, and <see cref="Encode"/>'s result is valid until the next call.
/// </summary>
public sealed class CanonicalForm
{
    private readonly Catalogue cat;
    private readonly int interpCount;
    /// <summary>Per slot (index 1..n): its class (equal kinds, one class); -1 for main. All distinct without symmetry.</summary>
    private readonly int[] slotClass;
    private readonly bool symmetry;

    private byte[] buffer = new byte[512];
    private int length;
    private byte[] best = new byte[512];
    private int bestLength;

    // Per-encoding scratch, reused: an encoding allocates nothing once these have grown to the largest state seen.
    private int[] objMap = [];
    private int[] objOrder = [];
    private int objCount;
    private int[] walk = [];
    private readonly int[] inv;
    private readonly int[] bornRank;
    private int[] indexRank = [];
    private int indexRanks;
    private readonly int[] initCountAbstract;
    private readonly int[] order;
    private readonly int[] basePerm;
    private readonly int[] candidate;
    private readonly HashSet<ulong> tieFingerprints = [];

    public CanonicalForm(Catalogue catalogue, IReadOnlyList<SlotKind> slotKinds, bool symmetry)
    {
        cat = catalogue;
        interpCount = slotKinds.Count + 1;
        this.symmetry = symmetry;
        slotClass = new int[interpCount];
        slotClass[0] = -1;
        var kinds = new List<SlotKind>();
        for (var i = 1; i < interpCount; i++)
        {
            if (!symmetry) { slotClass[i] = i; continue; }
            var k = kinds.IndexOf(slotKinds[i - 1]);
            if (k < 0) { kinds.Add(slotKinds[i - 1]); k = kinds.Count - 1; }
            slotClass[i] = k;
        }
        inv = new int[interpCount];
        bornRank = new int[interpCount];
        order = new int[interpCount - 1];
        basePerm = new int[interpCount];
        candidate = new int[interpCount];
        initCountAbstract = new int[catalogue.Globals.Count];
        positions = Enumerable.Range(1, interpCount - 1).OrderBy(i => slotClass[i]).ThenBy(i => i).ToArray();
        classPositions = positions.GroupBy(p => slotClass[p]).Select(g => g.ToArray()).ToArray();
    }

    /// <summary>Slot positions by class, then number: slots keep their class's positions whatever order is chosen.</summary>
    private readonly int[] positions;
    /// <summary>The positions of each class (with symmetry, the groups within which slots may be exchanged).</summary>
    private readonly int[][] classPositions;

    /// <summary>The last encoding chosen by <see cref="Encode"/>.</summary>
    public ReadOnlySpan<byte> Bytes => best.AsSpan(0, bestLength);

    /// <summary>
    /// Encodes <paramref name="s"/> canonically. <paramref name="perm"/> receives the slot order chosen
    /// (<c>perm[newSlot] = oldSlot</c>; main stays 0); <paramref name="orbit"/> the number of distinct
    /// states the slot permutations of one class make of it (1 without symmetry).
    /// </summary>
    public ReadOnlySpan<byte> Encode(State s, int[] perm, out long orbit)
    {
        PrepareAbstraction(s);
        var interps = s.Interps.AsSpan();

        // The slot order: per class, live slots by creation, then ended, then never created (then by number).
        for (var k = 0; k < order.Length; k++)
        {
            var i = k + 1;
            var at = k;
            while (at > 0 && SlotBefore(interps, i, order[at - 1])) { order[at] = order[at - 1]; at--; }
            order[at] = i;
        }
        // Slots keep their class positions: new slot positions of class c are the old positions of class c, in order.
        for (var k = 0; k < positions.Length; k++) basePerm[positions[k]] = order[k];
        basePerm[0] = 0;

        // Ties: ended slots of one class, whose order nothing fixes. Every order of each tie group is tried.
        orbit = 1;
        var ties = false;
        if (symmetry)
        {
            foreach (var inClass in classPositions)
            {
                int notCreated = 0, ended = 0;
                foreach (var p in inClass)
                {
                    var status = interps[basePerm[p]].Status;
                    if (status == InterpStatus.NotCreated) notCreated++;
                    else if (status == InterpStatus.Ended) ended++;
                }
                orbit *= Factorial(inClass.Length) / (Factorial(notCreated) * Factorial(ended));
                ties |= ended > 1;
            }
        }

        if (!ties)
        {
            EncodeWith(s, basePerm);
            (best, buffer) = (buffer, best); // the encoding just written is the result: keep it without copying
            bestLength = length;
            basePerm.CopyTo(perm, 0);
            return Bytes;
        }
        orbit *= EncodeTies(s, perm);
        return Bytes;
    }

    /// <summary>Whether slot <paramref name="a"/> comes before slot <paramref name="b"/>: by class, status (alive, ended, not created), creation, number.</summary>
    private bool SlotBefore(ReadOnlySpan<InterpState> interps, int a, int b)
    {
        if (slotClass[a] != slotClass[b]) return slotClass[a] < slotClass[b];
        var (ia, ib) = (interps[a], interps[b]);
        var (ra, rb) = (StatusRank(ia.Status), StatusRank(ib.Status));
        if (ra != rb) return ra < rb;
        var (ba, bb) = (ia.Status == InterpStatus.Alive ? ia.Born : 0, ib.Status == InterpStatus.Alive ? ib.Born : 0);
        if (ba != bb) return ba < bb;
        return a < b;
    }

    private static int StatusRank(InterpStatus status) => status switch { InterpStatus.Alive => 0, InterpStatus.Ended => 1, _ => 2 };

    private static long Factorial(int n)
    {
        long f = 1;
        for (var k = 2; k <= n; k++) f *= k;
        return f;
    }

    /// <summary>
    /// Tries every order of the ended slots within each class (the groups in class order; the last group's orders
    /// vary fastest, each group's in lexicographic order of its positions) and keeps the smallest encoding, the
    /// first one found on equality. Returns how many distinct encodings the orders gave.
    /// </summary>
    private long EncodeTies(State s, int[] perm)
    {
        var interps = s.Interps;
        // The tie groups: per class, the positions holding ended slots (in position order), and their slots.
        var groups = new List<(int[] Positions, int[] Slots, int[] Index)>();
        foreach (var inClass in classPositions)
        {
            var ended = inClass.Where(p => interps[basePerm[p]].Status == InterpStatus.Ended).ToArray();
            if (ended.Length > 1) groups.Add((ended, ended.Select(p => basePerm[p]).ToArray(), Enumerable.Range(0, ended.Length).ToArray()));
        }

        tieFingerprints.Clear();
        var first = true;
        while (true)
        {
            basePerm.CopyTo(candidate, 0);
            foreach (var (positions, slots, index) in groups)
                for (var k = 0; k < positions.Length; k++) candidate[positions[k]] = slots[index[k]];
            EncodeWith(s, candidate);
            tieFingerprints.Add(Fingerprint.Of(buffer.AsSpan(0, length)));
            if (first || buffer.AsSpan(0, length).SequenceCompareTo(best.AsSpan(0, bestLength)) < 0)
            {
                Keep();
                candidate.CopyTo(perm, 0);
                first = false;
            }
            // The next combination: the last group advances; one that wraps around resets and carries to the one before.
            var g = groups.Count - 1;
            while (g >= 0 && !NextPermutation(groups[g].Index)) g--;
            if (g < 0) break;
        }
        return tieFingerprints.Count;
    }

    /// <summary>The next permutation in lexicographic order; after the last one, back to the first (and false).</summary>
    private static bool NextPermutation(int[] a)
    {
        var i = a.Length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) i--;
        if (i < 0) { Array.Reverse(a); return false; }
        var j = a.Length - 1;
        while (a[j] <= a[i]) j--;
        (a[i], a[j]) = (a[j], a[i]);
        Array.Reverse(a, i + 1, a.Length - i - 1);
        return true;
    }

    private void Keep()
    {
        if (best.Length < length) best = new byte[buffer.Length];
        buffer.AsSpan(0, length).CopyTo(best);
        bestLength = length;
    }

    // ---- the counter abstraction ------------------------------------------------------------------

    private void PrepareAbstraction(State s)
    {
        // Init counters: only whether an init ever ran is observable (the init-once property); which init made
        // an object is a label no transition reads, so labels are dropped and counters saturate at 1.
        var globals = s.Globals.AsSpan();
        for (var g = 0; g < initCountAbstract.Length; g++)
            initCountAbstract[g] = Math.Min(globals[g].InitCount, 1);

        // m_index: the ranks of every index still in use (defs, 3.13 records, occupied modules-by-index slots).
        // indexRank[x] is first a mark (x in use), then x's rank among the marked indices, from 1.
        var defs = s.Defs.AsSpan();
        var cache = s.Cache.AsSpan();
        var interps = s.Interps.AsSpan();
        var top = 0;
        foreach (var d in defs) top = Math.Max(top, d.MIndex);
        foreach (var c in cache) top = Math.Max(top, c.MIndex);
        foreach (var i in interps) top = Math.Max(top, i.ModulesByIndex.Count - 1);
        if (indexRank.Length <= top) indexRank = new int[Math.Max(top + 1, indexRank.Length * 2)];
        var rank = indexRank.AsSpan(0, top + 1);
        rank.Clear();
        foreach (var d in defs) if (d.MIndex > 0) rank[d.MIndex] = 1;
        foreach (var c in cache) if (c.MIndex > 0) rank[c.MIndex] = 1;
        foreach (var i in interps)
        {
            var mbi = i.ModulesByIndex.AsSpan();
            for (var x = 1; x < mbi.Length; x++)
                if (!mbi[x].IsNone) rank[x] = 1;
        }
        var ranks = 0;
        for (var x = 1; x < rank.Length; x++)
            if (rank[x] != 0) rank[x] = ++ranks;
        indexRanks = ranks;

        // Creation stamps: only the order of live interpreters matters (a live one's rank: how many live ones are older).
        for (var i = 0; i < interpCount; i++)
        {
            var it = interps[i];
            if (it.Status != InterpStatus.Alive) { bornRank[i] = it.Status == InterpStatus.Ended ? 0 : -1; continue; }
            var older = 0;
            foreach (var j in interps)
                if (j.Status == InterpStatus.Alive && j.Born < it.Born) older++;
            bornRank[i] = older;
        }
    }

    private int Index(int index) => index > 0 ? indexRank[index] : 0;

    // ---- one encoding under one slot order ---------------------------------------------------------

    /// <summary>The most bytes <see cref="EncodeWith"/> can write for <paramref name="s"/>.</summary>
    private int MaxLength(State s)
    {
        var n = 3 + s.Defs.Count * 5 + s.Cache.Count * 7 + s.Globals.Count * 3 + 2 + s.Heap.Count * 17;
        foreach (var i in s.Interps.AsSpan()) n += 3 + i.SysModules.Count * 2 + 2 + indexRanks * 2 + 4 + 2 + i.OwnMCopy.Count * 2 + i.OwnKeys.Count;
        return n;
    }

    private void EncodeWith(State s, int[] perm)
    {
        var inv = this.inv;
        for (var p = 0; p < interpCount; p++) inv[perm[p]] = p;
        NumberObjects(s, perm);
        var need = MaxLength(s);
        if (buffer.Length < need) buffer = new byte[Math.Max(need, buffer.Length * 2)];
        // The writer keeps its position and the object numbering in locals (registers), not in this object's fields.
        var w = new Writer(buffer.AsSpan(0, need), objMap);

        w.Byte((byte)s.Phase);
        w.Short(indexRanks);
        foreach (var d in s.Defs.AsSpan())
        {
            w.Short(Index(d.MIndex));
            w.Byte(d.MInit ? (byte)1 : (byte)0);
            w.Ref(d.MCopy);
        }
        foreach (var c in s.Cache.AsSpan())
        {
            w.Byte(c.Present ? (byte)1 : (byte)0);
            w.Short(Index(c.MIndex));
            w.Byte(c.MInit ? (byte)1 : (byte)0);
            w.Ref(c.Copied);
            w.Byte((byte)(c.CopiedOwner < 0 ? 0 : inv[c.CopiedOwner] + 1));
        }
        var globals = s.Globals.AsSpan();
        for (var g = 0; g < globals.Length; g++)
        {
            w.Short(initCountAbstract[g]);
            w.Byte(globals[g].Loaded ? (byte)1 : (byte)0);
        }
        var interps = s.Interps.AsSpan();
        for (var p = 0; p < interpCount; p++)
        {
            var old = perm[p];
            var i = interps[old];
            w.Byte((byte)i.Status);
            if (i.Status == InterpStatus.NotCreated) continue;
            w.Byte((byte)i.Kind);
            w.Byte((byte)bornRank[old]);
            foreach (var m in i.SysModules.AsSpan()) w.Ref(m);
            var mbi = i.ModulesByIndex.AsSpan();
            var top = 0;
            for (var x = 1; x < mbi.Length; x++) if (!mbi[x].IsNone) top = Index(x);
            w.Short(top);
            var at = 1;
            for (var x = 1; x < mbi.Length; x++)
            {
                if (mbi[x].IsNone) continue;
                for (var r = Index(x); at < r; at++) w.Ref(ObjId.None);
                w.Ref(mbi[x]);
                at++;
            }
            w.Ref(i.SysDictCopy);
            w.Ref(i.BuiltinsCopy);
            // Fix strategies' own tables (empty for the CPython versions): a count, then the entries.
            w.Byte((byte)i.OwnMCopy.Count);
            foreach (var c in i.OwnMCopy.AsSpan()) w.Ref(c);
            w.Byte((byte)i.OwnKeys.Count);
            foreach (var k in i.OwnKeys.AsSpan()) w.Byte(k ? (byte)1 : (byte)0);
        }
        w.Short(objCount);
        var heap = s.Heap.AsSpan();
        var order = objOrder.AsSpan(0, objCount);
        foreach (var x in order)
        {
            ref readonly var o = ref heap[x];
            w.Byte((byte)((byte)o.Kind | (o.Leaked ? LeakedBit : 0) | (o.Immortal ? ImmortalBit : 0)));
            w.Byte((byte)inv[o.Owner]);
            w.Byte((byte)inv[o.Domain]);
            w.Short(o.RefCount);
            w.Byte((byte)(o.Def + 1));
            w.Byte((byte)(o.Module + 1));
            w.Ref(o.Dict);
            w.Ref(o.Self);
            w.Ref(o.Obj);
            w.Ref(o.Error);
            w.Ref(o.Fn);
        }
        length = w.Length;
    }

    /// <summary>The high bit of an object's kind byte: <see cref="HeapObject.Leaked"/> (kinds are small numbers).</summary>
    private const int LeakedBit = 0x80;
    /// <summary>The next bit: <see cref="HeapObject.Immortal"/>.</summary>
    private const int ImmortalBit = 0x40;

    /// <summary>Writes an encoding into a buffer <see cref="EncodeWith"/> sized for the whole of it (<see cref="MaxLength"/>).</summary>
    private ref struct Writer(Span<byte> buffer, int[] objMap)
    {
        private readonly Span<byte> buffer = buffer;
        private readonly ReadOnlySpan<int> objMap = objMap;
        public int Length { get; private set; }

        public void Byte(byte b) => buffer[Length++] = b;

        public void Short(int v)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.Slice(Length, 2), (ushort)v);
            Length += 2;
        }

        /// <summary>An object reference as its canonical number + 2 (0: the immortal constant, 1: NULL).</summary>
        public void Ref(ObjId r) => Short(r.IsObject ? objMap[r.Value] + 2 : r.IsConstant ? 0 : 1);
    }

    /// <summary>Numbers objects by the walk from the roots in the permuted slot order, then the unreachable rest by content.</summary>
    private void NumberObjects(State s, int[] perm)
    {
        var heap = s.Heap.AsSpan();
        var n = heap.Length;
        if (objMap.Length < n)
        {
            objMap = new int[Math.Max(n, objMap.Length * 2)];
            objOrder = new int[objMap.Length];
        }
        // Every push is a root or a reference of an object numbered once: at most 5 a object, plus the roots.
        var interps = s.Interps.AsSpan();
        var pushes = 5 * n + s.Defs.Count + s.Cache.Count;
        foreach (var i in interps) pushes += i.SysModules.Count + i.ModulesByIndex.Count + 2 + i.OwnMCopy.Count;
        if (walk.Length < pushes) walk = new int[Math.Max(pushes, walk.Length * 2)];
        objMap.AsSpan(0, n).Fill(-1);
        objCount = 0;

        if (s.RootWalked >= 0 && s.RootWalked <= n && IsIdentity(perm))
        {
            // The state's own numbering is this walk's (the machine numbered it so): object k is the k-th one reached.
            for (var x = 0; x < s.RootWalked; x++) objMap[x] = objOrder[x] = x;
            objCount = s.RootWalked;
        }
        else
            WalkFromRoots(s, heap, perm);
        if (objCount == n) return;

        // Leaked objects (unreachable, never collected): numbered by what they are, not by when they were made.
        var restStart = objCount;
        for (var x = 0; x < n; x++)
        {
            if (objMap[x] >= 0) continue;
            // Insertion into the sorted rest: leaks are few.
            var at = objCount++;
            while (at > restStart && LeakBefore(heap, x, objOrder[at - 1])) { objOrder[at] = objOrder[at - 1]; at--; }
            objOrder[at] = x;
        }
        for (var k = restStart; k < objCount; k++) objMap[objOrder[k]] = k;
    }

    private static bool IsIdentity(int[] perm)
    {
        for (var p = 0; p < perm.Length; p++)
            if (perm[p] != p) return false;
        return true;
    }

    private void WalkFromRoots(State s, ReadOnlySpan<HeapObject> heap, int[] perm)
    {
        var interps = s.Interps.AsSpan();
        foreach (var d in s.Defs.AsSpan()) Root(heap, d.MCopy);
        foreach (var c in s.Cache.AsSpan()) Root(heap, c.Copied);
        for (var p = 0; p < interpCount; p++)
        {
            var i = interps[perm[p]];
            foreach (var m in i.SysModules.AsSpan()) Root(heap, m);
            foreach (var m in i.ModulesByIndex.AsSpan()) Root(heap, m);
            Root(heap, i.SysDictCopy);
            Root(heap, i.BuiltinsCopy);
            foreach (var c in i.OwnMCopy.AsSpan()) Root(heap, c);
        }
    }

    /// <summary>The order of leaked objects: kind, owner and domain (in the chosen slot order), refcount, the leaked mark, def, module, then index.</summary>
    private bool LeakBefore(ReadOnlySpan<HeapObject> heap, int a, int b)
    {
        ref readonly var oa = ref heap[a];
        ref readonly var ob = ref heap[b];
        var c = oa.Kind.CompareTo(ob.Kind);
        if (c == 0) c = inv[oa.Owner].CompareTo(inv[ob.Owner]);
        if (c == 0) c = inv[oa.Domain].CompareTo(inv[ob.Domain]);
        if (c == 0) c = oa.RefCount.CompareTo(ob.RefCount);
        if (c == 0) c = oa.Leaked.CompareTo(ob.Leaked);
        if (c == 0) c = oa.Immortal.CompareTo(ob.Immortal);
        if (c == 0) c = oa.Def.CompareTo(ob.Def);
        if (c == 0) c = oa.Module.CompareTo(ob.Module);
        return c != 0 ? c < 0 : a < b;
    }

    /// <summary>Numbers <paramref name="r"/> and, depth first, what it references (Dict, Self, Obj, Error, Fn in that order).</summary>
    private void Root(ReadOnlySpan<HeapObject> heap, ObjId r)
    {
        if (!r.IsObject || objMap[r.Value] >= 0) return;
        var top = 0;
        walk[top++] = r.Value;
        while (top > 0)
        {
            var x = walk[--top];
            if (objMap[x] >= 0) continue;
            objMap[x] = objCount;
            objOrder[objCount++] = x;
            ref readonly var o = ref heap[x];
            // Children pushed in reverse so they are numbered in their fixed order.
            if (o.Fn.IsObject) walk[top++] = o.Fn.Value;
            if (o.Error.IsObject) walk[top++] = o.Error.Value;
            if (o.Obj.IsObject) walk[top++] = o.Obj.Value;
            if (o.Self.IsObject) walk[top++] = o.Self.Value;
            if (o.Dict.IsObject) walk[top++] = o.Dict.Value;
        }
    }

    // ---- decoding ---------------------------------------------------------------------------------

    /// <summary>
    /// The state an encoding stands for: a member of its class (counters as ranks, slots in the canonical
    /// order), from which the explorer expands. <c>Encode(Decode(b))</c> gives <c>b</c> again.
    /// </summary>
    public State Decode(ReadOnlySpan<byte> b) => Decode(b, transient: false);

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{byte})"/>; with <paramref name="transient"/>, the state's tables are this instance's
    /// own arrays, which the next transient decoding overwrites: for a search that reads each decoded state only until it
    /// decodes the next one (its successors are encoded at once). Decoding was the largest share of a search's
    /// allocations (the heap array alone about a quarter), and so of its garbage collections.
    /// </summary>
    public State Decode(ReadOnlySpan<byte> b, bool transient)
    {
        var at = 0;
        byte Byte(ReadOnlySpan<byte> src) => src[at++];
        int Short(ReadOnlySpan<byte> src) { var v = BinaryPrimitives.ReadUInt16LittleEndian(src[at..]); at += 2; return v; }
        ObjId Ref(ReadOnlySpan<byte> src) { var v = Short(src); return v == 0 ? ObjId.Constant : v == 1 ? ObjId.None : new ObjId(v - 2); }

        var phase = (ProcessPhase)Byte(b);
        var indexCounter = Short(b);
        var defs = transient ? (decDefs ??= new DefState[cat.Defs.Count]) : new DefState[cat.Defs.Count];
        for (var d = 0; d < defs.Length; d++)
            defs[d] = new DefState(Short(b), Byte(b) != 0, Ref(b));
        var cache = transient ? (decCache ??= new CacheEntry[cat.Modules.Count]) : new CacheEntry[cat.Modules.Count];
        for (var k = 0; k < cache.Length; k++)
            cache[k] = new CacheEntry(Byte(b) != 0, Short(b), Byte(b) != 0, Ref(b), (sbyte)(Byte(b) - 1));
        var globals = transient ? (decGlobals ??= new CGlobals[cat.Globals.Count]) : new CGlobals[cat.Globals.Count];
        for (var g = 0; g < globals.Length; g++)
            globals[g] = new CGlobals(Short(b), Byte(b) != 0);
        var interps = transient ? (decInterps ??= new InterpState[interpCount]) : new InterpState[interpCount];
        for (var p = 0; p < interpCount; p++)
        {
            var status = (InterpStatus)Byte(b);
            if (status == InterpStatus.NotCreated) { interps[p] = InterpState.NotCreated; continue; }
            var kind = (InterpKind)Byte(b);
            var born = (int)Byte(b);
            var sys = transient ? (decSys[p] ??= new ObjId[cat.Modules.Count]) : new ObjId[cat.Modules.Count];
            for (var m = 0; m < sys.Length; m++) sys[m] = Ref(b);
            var top = Short(b);
            var mbi = transient ? Scratch(ref decMbi[p], top == 0 ? 0 : top + 1) : new ObjId[top == 0 ? 0 : top + 1];
            if (top > 0) mbi[0] = ObjId.None;
            for (var x = 1; x <= top; x++) mbi[x] = Ref(b);
            var sysDict = Ref(b);
            var builtins = Ref(b);
            var ownMCopy = new ObjId[Byte(b)];
            for (var d = 0; d < ownMCopy.Length; d++) ownMCopy[d] = Ref(b);
            var ownKeys = new bool[Byte(b)];
            for (var k = 0; k < ownKeys.Length; k++) ownKeys[k] = Byte(b) != 0;
            // Transient: the slot's record from the last decoding has the same tables (rewritten in place above); if its
            // other fields are the same too, it is this slot as decoded now, so it is kept rather than made again.
            if (transient && interps[p] is { } last && last.Status == status && last.Kind == kind && last.Born == born &&
                last.SysDictCopy == sysDict && last.BuiltinsCopy == builtins && ownMCopy.Length == 0 && ownKeys.Length == 0 &&
                last.OwnMCopy.Count == 0 && last.OwnKeys.Count == 0 &&
                last.SysModules.SameArray(ValueArray.Own(sys)) && last.ModulesByIndex.SameArray(ValueArray.Own(mbi)))
                continue;
            interps[p] = new InterpState(status, kind, born, ValueArray.Own(sys), ValueArray.Own(mbi), sysDict, builtins,
                ownMCopy.Length == 0 ? default : ValueArray.Own(ownMCopy), ownKeys.Length == 0 ? default : ValueArray.Own(ownKeys));
        }
        var heap = transient ? Scratch(ref decHeap, Short(b)) : new HeapObject[Short(b)];
        for (var x = 0; x < heap.Length; x++)
        {
            var kindByte = Byte(b);
            var kind = (ObjKind)(kindByte & (ImmortalBit - 1));
            var owner = (sbyte)Byte(b);
            var domain = (sbyte)Byte(b);
            var refCount = (short)Short(b);
            var def = (sbyte)(Byte(b) - 1);
            var module = (sbyte)(Byte(b) - 1);
            heap[x] = new HeapObject(kind, owner, domain, refCount, def, module, 0, Ref(b), Ref(b), Ref(b), Ref(b), Ref(b), (kindByte & LeakedBit) != 0, (kindByte & ImmortalBit) != 0);
        }
        return new State(phase, ValueArray.Own(interps), ValueArray.Own(defs), ValueArray.Own(cache),
            ValueArray.Own(globals), indexCounter, ValueArray.Own(heap));
    }

    // The arrays of transient decodings (see Decode): fixed lengths made once; the heap and each slot's
    // modules-by-index by length, since their lengths vary from state to state and a state's table has its exact length.
    private DefState[]? decDefs;
    private CacheEntry[]? decCache;
    private CGlobals[]? decGlobals;
    private InterpState[]? decInterps;
    private ObjId[]?[]? decSysSlots;
    private ObjId[]?[] decSys => decSysSlots ??= new ObjId[]?[interpCount];
    private ObjId[]?[]?[]? decMbiSlots;
    private ObjId[]?[]?[] decMbi => decMbiSlots ??= new ObjId[]?[]?[interpCount];
    private HeapObject[]?[]? decHeap;

    /// <summary>The array of <paramref name="length"/> elements kept in <paramref name="byLength"/>, made on first use.</summary>
    private static T[] Scratch<T>(ref T[]?[]? byLength, int length)
    {
        if (length == 0) return [];
        if (byLength is null || byLength.Length <= length) Array.Resize(ref byLength, Math.Max(length + 1, (byLength?.Length ?? 0) * 2));
        return byLength[length] ??= new T[length];
    }
}
