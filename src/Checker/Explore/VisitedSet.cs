using System.Runtime.InteropServices;
using Verify.Model;

namespace Verify.Checker.Explore;

/// <summary>
/// The set of states seen so far, split into shards by the fingerprint's top bits. During a level's expansion
/// every worker reads every shard (no writes); afterwards each shard is filled by exactly one worker, so no
/// lock is ever taken.
/// </summary>
internal interface IVisitedShard
{
    bool Contains(ulong fp, ReadOnlySpan<byte> state);
    bool Add(ulong fp, ReadOnlySpan<byte> state);
    long Count { get; }
    long Bytes { get; }
}

internal sealed class VisitedSet
{
    public const int ShardBits = 4;
    private readonly IVisitedShard[] shards;

    public VisitedSet(StorageMode mode)
    {
        shards = new IVisitedShard[1 << ShardBits];
        for (var k = 0; k < shards.Length; k++)
            shards[k] = mode == StorageMode.Exact ? new ExactShard() : new FingerprintShard();
    }

    public int ShardCount => shards.Length;
    public static int ShardOf(ulong fp) => (int)(fp >> (64 - ShardBits));
    public IVisitedShard Shard(int k) => shards[k];
    public bool Contains(ulong fp, ReadOnlySpan<byte> state) => shards[ShardOf(fp)].Contains(fp, state);
    public long Count => shards.Sum(s => s.Count);
    public long Bytes => shards.Sum(s => s.Bytes);
}

/// <summary>
/// 64-bit fingerprints in one open-addressing table with linear probing, indexed by the fingerprint's low bits
/// (the top bits chose the shard). It grows by a fifth at 90% load, so it never holds much more than it
/// needs: between 8.9 and 10.7 bytes per fingerprint (with a 5-byte parent link, at most 16 a state).
/// </summary>
internal sealed class FingerprintShard : IVisitedShard
{
    private const double MaxLoad = 0.9;
    private ulong[] table = new ulong[1024];
    private long count;

    public long Count => count;
    public long Bytes => (long)table.Length * sizeof(ulong);

    private static long Home(ulong fp, long capacity) => (long)Math.BigMul(fp << VisitedSet.ShardBits, (ulong)capacity, out _);

    public bool Contains(ulong fp, ReadOnlySpan<byte> state)
    {
        var t = table;
        for (var i = Home(fp, t.Length); ; i = i + 1 == t.Length ? 0 : i + 1)
        {
            var v = t[i];
            if (v == fp) return true;
            if (v == 0) return false;
        }
    }

    public bool Add(ulong fp, ReadOnlySpan<byte> state)
    {
        if (count + 1 > table.Length * MaxLoad) Grow();
        if (!Insert(table, fp)) return false;
        count++;
        return true;
    }

    private static bool Insert(ulong[] t, ulong fp)
    {
        for (var i = Home(fp, t.Length); ; i = i + 1 == t.Length ? 0 : i + 1)
        {
            var v = t[i];
            if (v == fp) return false;
            if (v == 0) { t[i] = fp; return true; }
        }
    }

    private void Grow()
    {
        var bigger = new ulong[table.Length + table.Length / 5];
        foreach (var v in table)
            if (v != 0) Insert(bigger, v);
        table = bigger;
    }
}

/// <summary>Whole canonical encodings: no collision is possible. For small spaces and for cross-checking fingerprints.</summary>
internal sealed class ExactShard : IVisitedShard
{
    private sealed class Content : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public bool Equals(byte[]? a, byte[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(byte[] b) => (int)Fingerprint.Of(b);
        public bool Equals(ReadOnlySpan<byte> a, byte[] b) => a.SequenceEqual(b);
        public int GetHashCode(ReadOnlySpan<byte> a) => (int)Fingerprint.Of(a);
        public byte[] Create(ReadOnlySpan<byte> a) => a.ToArray();
    }

    private readonly HashSet<byte[]> set = new(new Content());
    private long bytes;

    public long Count => set.Count;
    /// <summary>The encodings plus the array and set-entry overheads (about 40 bytes a state on x64).</summary>
    public long Bytes => bytes + set.Count * 40L;

    public bool Contains(ulong fp, ReadOnlySpan<byte> state) => set.GetAlternateLookup<ReadOnlySpan<byte>>().Contains(state);

    public bool Add(ulong fp, ReadOnlySpan<byte> state)
    {
        if (!set.GetAlternateLookup<ReadOnlySpan<byte>>().Add(state)) return false;
        bytes += state.Length;
        return true;
    }
}

/// <summary>For every stored state, by discovery number: its parent's number and the action (its place in the alphabet). Five bytes a state.</summary>
internal sealed class ParentLinks(int alphabetSize)
{
    private const int ChunkBits = 20;
    private readonly List<uint[]> parents = [];
    // One byte an action when the alphabet has at most 256 (every spec in this repository), else two.
    private readonly bool wide = alphabetSize > 256;
    private readonly List<byte[]> actions = [];
    private readonly List<ushort[]> wideActions = [];
    public long Count { get; private set; }
    public long Bytes => Count * (sizeof(uint) + (wide ? sizeof(ushort) : sizeof(byte)));

    public void Add(long parent, int action)
    {
        if (parent > uint.MaxValue) throw new InvalidOperationException("more than 2^32 states: the parent links hold 32-bit state numbers");
        var chunk = (int)(Count >> ChunkBits);
        if (chunk == parents.Count)
        {
            parents.Add(new uint[1 << ChunkBits]);
            if (wide) wideActions.Add(new ushort[1 << ChunkBits]);
            else actions.Add(new byte[1 << ChunkBits]);
        }
        var at = (int)(Count & ((1 << ChunkBits) - 1));
        parents[chunk][at] = (uint)parent;
        if (wide) wideActions[chunk][at] = (ushort)action;
        else actions[chunk][at] = (byte)action;
        Count++;
    }

    public (long Parent, int Action) this[long id]
    {
        get
        {
            var (chunk, at) = ((int)(id >> ChunkBits), (int)(id & ((1 << ChunkBits) - 1)));
            return (parents[chunk][at], wide ? wideActions[chunk][at] : actions[chunk][at]);
        }
    }
}
