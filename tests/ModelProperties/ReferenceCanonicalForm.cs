using System.Buffers.Binary;

using Verify.Model;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// The canonical encoding as it was written first (LINQ for the slot order, a dictionary for the index ranks, every
/// tie order enumerated through iterators), kept unchanged as the test's oracle: <see cref="CanonicalForm"/> was
/// rewritten for speed and must produce the same bytes, the same slot order and the same orbit size on every state.
/// </summary>
public sealed class ReferenceCanonicalForm
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

    // Per-encoding scratch.
    private int[] objMap = [];
    private readonly List<int> objOrder = [];
    private readonly Stack<int> walk = new();
    private readonly int[] inv;
    private readonly int[] bornRank;
    private readonly Dictionary<int, int> indexRank = [];
    private readonly List<int> scratch = [];
    private readonly int[] initCountAbstract;

    public ReferenceCanonicalForm(Catalogue catalogue, IReadOnlyList<SlotKind> slotKinds, bool symmetry)
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

        // The slot order: per class, live slots by creation, then ended, then never created.
        var order = Enumerable.Range(1, interpCount - 1)
            .OrderBy(i => slotClass[i])
            .ThenBy(i => s.Interps[i].Status switch { InterpStatus.Alive => 0, InterpStatus.Ended => 1, _ => 2 })
            .ThenBy(i => s.Interps[i].Status == InterpStatus.Alive ? s.Interps[i].Born : 0)
            .ThenBy(i => i)
            .ToArray();
        // Slots keep their class positions: new slot positions of class c are the old positions of class c, in order.
        var basePerm = new int[interpCount];
        for (var k = 0; k < positions.Length; k++) basePerm[positions[k]] = order[k];

        // Ties: ended slots of one class. Try every order of each tie group.
        var groups = new List<int[]>();
        orbit = 1;
        if (symmetry)
        {
            foreach (var inClass in classPositions)
            {
                var notCreated = inClass.Count(p => s.Interps[basePerm[p]].Status == InterpStatus.NotCreated);
                var ended = inClass.Where(p => s.Interps[basePerm[p]].Status == InterpStatus.Ended).ToArray();
                orbit *= Factorial(inClass.Length) / (Factorial(notCreated) * Factorial(ended.Length));
                if (ended.Length > 1) groups.Add(ended);
            }
        }

        basePerm[0] = 0;
        if (groups.Count == 0)
        {
            EncodeWith(s, basePerm);
            Keep();
            basePerm.CopyTo(perm, 0);
            return Bytes;
        }

        var distinct = new HashSet<ulong>();
        var first = true;
        foreach (var candidate in TiePermutations(basePerm, groups))
        {
            EncodeWith(s, candidate);
            distinct.Add(Fingerprint.Of(buffer.AsSpan(0, length)));
            if (first || buffer.AsSpan(0, length).SequenceCompareTo(best.AsSpan(0, bestLength)) < 0)
            {
                Keep();
                candidate.CopyTo(perm, 0);
                first = false;
            }
        }
        orbit *= distinct.Count;
        return Bytes;
    }

    private static long Factorial(int n)
    {
        long f = 1;
        for (var k = 2; k <= n; k++) f *= k;
        return f;
    }

    private static IEnumerable<int[]> TiePermutations(int[] basePerm, List<int[]> groups)
    {
        IEnumerable<int[]> result = [basePerm];
        foreach (var g in groups)
        {
            var positions = g;
            result = result.SelectMany(p => Permutations(positions.Select(x => p[x]).ToArray()).Select(values =>
            {
                var q = (int[])p.Clone();
                for (var k = 0; k < positions.Length; k++) q[positions[k]] = values[k];
                return q;
            }));
        }
        return result;
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (var k = 0; k < items.Length; k++)
        {
            var rest = items.Where((_, j) => j != k).ToArray();
            foreach (var p in Permutations(rest)) yield return [items[k], .. p];
        }
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
        for (var g = 0; g < cat.Globals.Count; g++)
            initCountAbstract[g] = Math.Min(s.Globals[g].InitCount, 1);

        // m_index: the ranks of every index still in use (defs, 3.13 records, occupied modules-by-index slots).
        scratch.Clear();
        foreach (var d in s.Defs.AsSpan()) if (d.MIndex > 0) scratch.Add(d.MIndex);
        foreach (var c in s.Cache.AsSpan()) if (c.MIndex > 0) scratch.Add(c.MIndex);
        foreach (var i in s.Interps.AsSpan())
            for (var x = 1; x < i.ModulesByIndex.Count; x++)
                if (!i.ModulesByIndex[x].IsNone) scratch.Add(x);
        scratch.Sort();
        indexRank.Clear();
        foreach (var x in scratch) indexRank.TryAdd(x, indexRank.Count + 1);

        // Creation stamps: only the order of live interpreters matters.
        scratch.Clear();
        for (var i = 0; i < interpCount; i++)
            if (s.Interps[i].Status == InterpStatus.Alive) scratch.Add(s.Interps[i].Born);
        scratch.Sort();
        for (var i = 0; i < interpCount; i++)
            bornRank[i] = s.Interps[i].Status switch
            {
                InterpStatus.Alive => scratch.IndexOf(s.Interps[i].Born),
                InterpStatus.Ended => 0,
                _ => -1,
            };
    }

    private int Index(int index) => index > 0 ? indexRank[index] : 0;

    // ---- one encoding under one slot order ---------------------------------------------------------

    private void EncodeWith(State s, int[] perm)
    {
        for (var p = 0; p < interpCount; p++) inv[perm[p]] = p;
        NumberObjects(s, perm);
        length = 0;

        PutByte((byte)s.Phase);
        PutShort(indexRank.Count);
        foreach (var d in s.Defs.AsSpan())
        {
            PutShort(Index(d.MIndex));
            PutByte(d.MInit ? (byte)1 : (byte)0);
            PutRef(d.MCopy);
        }
        foreach (var c in s.Cache.AsSpan())
        {
            PutByte(c.Present ? (byte)1 : (byte)0);
            PutShort(Index(c.MIndex));
            PutByte(c.MInit ? (byte)1 : (byte)0);
            PutRef(c.Copied);
            PutByte((byte)(c.CopiedOwner < 0 ? 0 : inv[c.CopiedOwner] + 1));
        }
        for (var g = 0; g < s.Globals.Count; g++)
        {
            PutShort(initCountAbstract[g]);
            PutByte(s.Globals[g].Loaded ? (byte)1 : (byte)0);
        }
        for (var p = 0; p < interpCount; p++)
        {
            var old = perm[p];
            var i = s.Interps[old];
            PutByte((byte)i.Status);
            if (i.Status == InterpStatus.NotCreated) continue;
            PutByte((byte)i.Kind);
            PutByte((byte)bornRank[old]);
            foreach (var m in i.SysModules.AsSpan()) PutRef(m);
            var mbi = i.ModulesByIndex;
            var top = 0;
            for (var x = 1; x < mbi.Count; x++) if (!mbi[x].IsNone) top = Index(x);
            PutShort(top);
            var at = 1;
            for (var x = 1; x < mbi.Count; x++)
            {
                if (mbi[x].IsNone) continue;
                for (var r = Index(x); at < r; at++) PutRef(ObjId.None);
                PutRef(mbi[x]);
                at++;
            }
            PutRef(i.SysDictCopy);
            PutRef(i.BuiltinsCopy);
            PutByte((byte)i.OwnMCopy.Count); // the fix strategies' own tables: a count, then the entries
            foreach (var c in i.OwnMCopy) PutRef(c);
            PutByte((byte)i.OwnKeys.Count);
            foreach (var k in i.OwnKeys) PutByte(k ? (byte)1 : (byte)0);
        }
        PutShort(objOrder.Count);
        foreach (var old in objOrder)
        {
            var o = s.Heap[old];
            PutByte((byte)((byte)o.Kind | (o.Leaked ? 0x80 : 0) | (o.Immortal ? 0x40 : 0))); // the encoder's leaked and immortal marks
            PutByte((byte)inv[o.Owner]);
            PutByte((byte)inv[o.Domain]);
            PutShort(o.RefCount);
            PutByte((byte)(o.Def + 1));
            PutByte((byte)(o.Module + 1));
            PutRef(o.Dict);
            PutRef(o.Self);
            PutRef(o.Obj);
            PutRef(o.Error);
            PutRef(o.Fn);
        }
    }

    /// <summary>Numbers objects by the walk from the roots in the permuted slot order, then the unreachable rest by content.</summary>
    private void NumberObjects(State s, int[] perm)
    {
        var n = s.Heap.Count;
        if (objMap.Length < n) objMap = new int[Math.Max(n, objMap.Length * 2)];
        Array.Fill(objMap, -1, 0, n);
        objOrder.Clear();

        void Root(ObjId r)
        {
            if (!r.IsObject || objMap[r.Value] >= 0) return;
            walk.Push(r.Value);
            while (walk.Count > 0)
            {
                var x = walk.Pop();
                if (objMap[x] >= 0) continue;
                objMap[x] = objOrder.Count;
                objOrder.Add(x);
                var o = s.Heap[x];
                // Children pushed in reverse so they are numbered in their fixed order.
                if (o.Fn.IsObject) walk.Push(o.Fn.Value);
                if (o.Error.IsObject) walk.Push(o.Error.Value);
                if (o.Obj.IsObject) walk.Push(o.Obj.Value);
                if (o.Self.IsObject) walk.Push(o.Self.Value);
                if (o.Dict.IsObject) walk.Push(o.Dict.Value);
            }
        }

        foreach (var d in s.Defs.AsSpan()) Root(d.MCopy);
        foreach (var c in s.Cache.AsSpan()) Root(c.Copied);
        for (var p = 0; p < interpCount; p++)
        {
            var i = s.Interps[perm[p]];
            foreach (var m in i.SysModules.AsSpan()) Root(m);
            foreach (var m in i.ModulesByIndex.AsSpan()) Root(m);
            Root(i.SysDictCopy);
            Root(i.BuiltinsCopy);
            foreach (var c in i.OwnMCopy) Root(c);
        }
        if (objOrder.Count == n) return;

        // Leaked objects (unreachable, never collected): numbered by what they are, not by when they were made.
        var rest = new List<int>();
        for (var x = 0; x < n; x++) if (objMap[x] < 0) rest.Add(x);
        rest.Sort((a, b) =>
        {
            var (oa, ob) = (s.Heap[a], s.Heap[b]);
            var c = oa.Kind.CompareTo(ob.Kind);
            if (c == 0) c = inv[oa.Owner].CompareTo(inv[ob.Owner]);
            if (c == 0) c = inv[oa.Domain].CompareTo(inv[ob.Domain]);
            if (c == 0) c = oa.RefCount.CompareTo(ob.RefCount);
            if (c == 0) c = oa.Leaked.CompareTo(ob.Leaked);
            if (c == 0) c = oa.Immortal.CompareTo(ob.Immortal);
            if (c == 0) c = oa.Def.CompareTo(ob.Def);
            if (c == 0) c = oa.Module.CompareTo(ob.Module);
            return c != 0 ? c : a.CompareTo(b);
        });
        foreach (var x in rest)
        {
            objMap[x] = objOrder.Count;
            objOrder.Add(x);
        }
    }

    private void Ensure(int extra)
    {
        if (length + extra > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + extra));
    }

    private void PutByte(byte b)
    {
        Ensure(1);
        buffer[length++] = b;
    }

    private void PutShort(int v)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(length), (ushort)v);
        length += 2;
    }

    /// <summary>An object reference as its canonical number + 2 (0: the immortal constant, 1: NULL).</summary>
    private void PutRef(ObjId r) => PutShort(r.IsObject ? objMap[r.Value] + 2 : r.IsConstant ? 0 : 1);
}
