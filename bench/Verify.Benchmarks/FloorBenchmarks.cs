using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Verify.Model;

namespace Verify.Benchmarks;

/// <summary>
/// A floor under any explicit engine for this model, not a measurement of Verify's: the bookkeeping every successor
/// needs whatever the representation, with none of the semantics, the properties or the choice of slot order. Each
/// state of a fixed set stands for a successor already computed as a flat state (its canonical encoding, the most
/// compact form the project has: 568 bytes on average for this set under 3.12, 621 under 3.13); the benchmark copies it, numbers the heap objects in the order
/// the roots reach them (the walk the collector and the canonical numbering both need), hashes the copy and the
/// numbering with a four-lane hash (faster than <see cref="Fingerprint"/>) and inserts the hash in an open-addressing
/// table of 2^24 entries. Issue 3's 2 million distinct states/s on 2 cores leaves about 0.35 µs per successor for
/// everything; docs/benchmarks.md ("The floor") compares.
/// </summary>
public class FloorBenchmarks
{
    public const int States = 2048;

    public static IEnumerable<string> VersionSemantics => ["cpython-3.12", "cpython-3.13"];

    [ParamsSource(nameof(VersionSemantics))]
    public string Semantics { get; set; } = "";

    private byte[][] flat = [];
    private int[][] references = [];
    private int[][] roots = [];
    private readonly ulong[] table = new ulong[1 << 24];
    private readonly byte[] copy = new byte[1 << 14];
    private readonly int[] number = new int[1 << 12], order = new int[1 << 12];

    [GlobalSetup]
    public void Setup()
    {
        var config = Workloads.Default(Semantics);
        var states = Workloads.States(config, States);
        if (states.Count != States) throw new InvalidOperationException($"{Semantics}: only {states.Count} states, not {States}");
        var form = new CanonicalForm(config.Catalogue, config.SlotKinds, symmetry: true);
        var perm = new int[config.Slots + 1];
        flat = [.. states.Select(s => form.Encode(s, perm, out _).ToArray())];
        references = [.. states.Select(FlatReferences)];
        roots = [.. states.Select(s => s.Roots().Where(r => r.IsObject).Select(r => r.Value).ToArray())];
    }

    /// <summary>Each object's <see cref="HeapObject.MaxReferences"/> references as heap indices, -1 for none.</summary>
    private static int[] FlatReferences(State s)
    {
        var refs = new int[s.Heap.Count * HeapObject.MaxReferences];
        Span<ObjId> one = stackalloc ObjId[HeapObject.MaxReferences];
        for (var k = 0; k < s.Heap.Count; k++)
        {
            var n = s.Heap[k].CopyReferences(one);
            for (var j = 0; j < HeapObject.MaxReferences; j++)
                refs[k * HeapObject.MaxReferences + j] = j < n && one[j].IsObject ? one[j].Value : -1;
        }
        return refs;
    }

    /// <returns>the hashes xor-ed, so that nothing is optimised away</returns>
    [Benchmark(OperationsPerInvoke = States)]
    public ulong CopyWalkHashInsert()
    {
        ulong all = 0;
        for (var i = 0; i < flat.Length; i++)
        {
            var bytes = flat[i];
            bytes.CopyTo(copy, 0);
            var reached = Walk(references[i], roots[i]);
            var h = FourLane(copy.AsSpan(0, bytes.Length)) ^ FourLane(MemoryMarshal.AsBytes(order.AsSpan(0, reached)));
            Insert(h == 0 ? 1 : h);
            all ^= h;
        }
        return all;
    }

    /// <returns>the hashes xor-ed</returns>
    [Benchmark(OperationsPerInvoke = States)]
    public ulong HashOnly()
    {
        ulong all = 0;
        foreach (var bytes in flat) all ^= FourLane(bytes);
        return all;
    }

    /// <summary>Breadth-first from the roots in their order; <c>order[0..n)</c> is the canonical numbering.</summary>
    private int Walk(int[] refs, int[] from)
    {
        var objects = refs.Length / HeapObject.MaxReferences;
        Array.Fill(number, -1, 0, objects);
        var n = 0;
        foreach (var r in from)
            if (number[r] < 0) { number[r] = n; order[n++] = r; }
        for (var i = 0; i < n; i++)
            for (var j = 0; j < HeapObject.MaxReferences; j++)
            {
                var t = refs[order[i] * HeapObject.MaxReferences + j];
                if (t >= 0 && number[t] < 0) { number[t] = n; order[n++] = t; }
            }
        return n;
    }

    private void Insert(ulong h)
    {
        var mask = table.Length - 1;
        var k = (int)(h & (ulong)mask);
        while (table[k] != 0 && table[k] != h) k = (k + 1) & mask;
        table[k] = h;
    }

    /// <summary>Four independent multiply-rotate lanes over 32-byte blocks: not latency-bound as one lane is.</summary>
    private static ulong FourLane(ReadOnlySpan<byte> d)
    {
        const ulong p1 = 0x9E3779B185EBCA87UL, p2 = 0xC2B2AE3D27D4EB4FUL;
        ulong a = p1, b = p2, c = 0, e = p1 ^ p2;
        var i = 0;
        for (; i + 32 <= d.Length; i += 32)
        {
            a = Lane(a, BinaryPrimitives.ReadUInt64LittleEndian(d[i..]));
            b = Lane(b, BinaryPrimitives.ReadUInt64LittleEndian(d[(i + 8)..]));
            c = Lane(c, BinaryPrimitives.ReadUInt64LittleEndian(d[(i + 16)..]));
            e = Lane(e, BinaryPrimitives.ReadUInt64LittleEndian(d[(i + 24)..]));
        }
        var h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7) + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(e, 18);
        for (; i < d.Length; i++) h = (h ^ d[i]) * p1;
        h ^= h >> 31; h *= p2; h ^= h >> 29;
        return h;

        static ulong Lane(ulong h, ulong w) => BitOperations.RotateLeft(h + w * p2, 31) * p1;
    }
}
