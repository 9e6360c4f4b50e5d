using System.Diagnostics;
using System.IO.Compression;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Explore;

/// <summary>
/// The exhaustive explorer: breadth-first from the initial state over every enabled action, level by level,
/// storing canonical states (<see cref="CanonicalForm"/>: counters as ranks, interchangeable slots) as
/// fingerprints or whole encodings, to a fixpoint, a depth bound or a limit.
///
/// Each level runs in two phases on every core, and neither takes a lock. Expansion: workers take chunks of
/// the level in order, apply every enabled action, judge the properties and keep each successor the visited
/// set does not already hold, sorted by shard. Insertion: one worker per shard adds that shard's candidates,
/// chunk by chunk, in level order. So the first parent of a state, the numbering of the next level and the
/// counterexample reported for each property (the shortest, and of those the first in level order) are the
/// same whatever the number of workers and however they interleave.
///
/// A level lists its states in the order of (parent, action), as a sequential breadth-first search meets them.
///
/// Memory, which bounds this engine more than time (docs/benchmarks.md): in fingerprint mode a candidate is only its
/// fingerprint and where it came from: most candidates lose (about 60% on the default spec: reached again in the same
/// level, by another parent or another chunk), so their encodings were mostly memory thrown away. Once a level's
/// winners are known, each one's encoding is derived again from its parent, in parallel: one more step per distinct
/// state, so levels of up to <see cref="ExploreOptions.KeepEncodingsUpTo"/> states keep their candidates' encodings.
/// A level of more than <see cref="ExploreOptions.PackLevelsAbove"/> states is then kept compressed, chunk by chunk
/// (Brotli at its fastest setting, about 6 times smaller here). Exact mode stores every encoding in its visited set
/// anyway, so it keeps the candidates' encodings and packs nothing.
/// </summary>
public static class Explorer
{
    public static ExploreResult Run(Configuration config, ExploreOptions options) => new Search(config, options).Run();
}

internal sealed class Search(Configuration config, ExploreOptions options)
{
    private const int ChunkSize = 64;
    private const long StateKey = 0xFFFF;

    private readonly IReadOnlyList<Model.Action> alphabet = config.Alphabet;
    private readonly IReadOnlyList<Property> properties = options.Properties;
    private readonly FindingBook book = new(options.Properties);
    private readonly VisitedSet visited = new(options.Storage);
    private readonly ParentLinks links = new(config.Alphabet.Count);
    private readonly Stopwatch clock = new();
    private long generated;
    private long unreduced;
    private int depth;
    private volatile int stopReason = -1;
    private long residentSet;
    private long nextResidentSample; // clock milliseconds

    /// <summary>One successor not seen before the level began: where it came from and its encoding in the chunk's arena.</summary>
    private readonly record struct Candidate(ulong Fp, int ParentPos, int Action, int Offset, int Length, long Orbit);

    /// <summary>
    /// What the expansion of one chunk keeps: its candidates by shard, and their encodings back to back in an arena.
    /// The arena then holds the next level's states (no copy), and once that level is expanded the output goes back
    /// to the pool, arena and lists with it: a search allocates its frontier's memory once, not once per level.
    /// </summary>
    private sealed class ChunkOutput(int shards)
    {
        public readonly List<Candidate>[] ByShard = Enumerable.Range(0, shards).Select(_ => new List<Candidate>()).ToArray();
        // Made on the first append: a level whose winners are derived again keeps no encoding in its candidates' outputs,
        // and an arena made up front for each of them was 32 KB zeroed, then copied by the collector, for nothing.
        public byte[] Arena = [];
        public int Used;

        public int Append(ReadOnlySpan<byte> bytes)
        {
            // 32 KB at first: about what a chunk of 64 states finds in the default spec, so few regrowths.
            if (Used + bytes.Length > Arena.Length) Array.Resize(ref Arena, Math.Max(Math.Max(Arena.Length * 2, 32 * 1024), Used + bytes.Length));
            bytes.CopyTo(Arena.AsSpan(Used));
            Used += bytes.Length;
            return Used - bytes.Length;
        }

        public void Clear()
        {
            foreach (var list in ByShard) list.Clear();
            Used = 0;
        }
    }

    private readonly Stack<ChunkOutput> pool = new();

    /// <summary>
    /// Whether the candidates of the level being expanded carry their encodings, or the winners are derived again: always
    /// in exact mode (its visited set stores them), and for small levels, where the memory is small and the time is not.
    /// </summary>
    private bool keepEncodings;

    private ChunkOutput Rent()
    {
        lock (pool)
            if (pool.TryPop(out var o)) return o;
        return new ChunkOutput(visited.ShardCount);
    }

    /// <summary>One chunk of a packed level: its encodings back to back, compressed.</summary>
    private sealed record PackedChunk(byte[] Bytes, int RawLength);

    /// <summary>
    /// A level of states to expand: where each one's canonical encoding lies, in the arenas of the chunks that found or
    /// derived them (plain), or in <see cref="Packed"/> chunks, where state k is in chunk k / <see cref="ChunkSize"/>.
    /// </summary>
    private sealed class Level
    {
        public ChunkOutput[] Sources = [];
        public PackedChunk[]? Packed;
        public readonly List<(int Chunk, int Offset, int Length)> States = [];
        public long Base; // discovery number of the first state

        /// <summary>State <paramref name="pos"/>'s encoding; a packed chunk is unpacked into the worker's buffer, which keeps the last one.</summary>
        public ReadOnlySpan<byte> Get(int pos, Worker w)
        {
            var (chunk, offset, length) = States[pos];
            if (Packed is null) return Sources[chunk].Arena.AsSpan(offset, length);
            if (!ReferenceEquals(w.UnpackedLevel, this) || w.UnpackedChunk != chunk)
            {
                var packed = Packed[chunk];
                if (w.Unpacked.Length < packed.RawLength) w.Unpacked = new byte[Math.Max(packed.RawLength, w.Unpacked.Length * 2)];
                if (!BrotliDecoder.TryDecompress(packed.Bytes, w.Unpacked, out var n) || n != packed.RawLength)
                    throw new InvalidOperationException("a packed chunk of the frontier does not unpack to its length");
                (w.UnpackedLevel, w.UnpackedChunk) = (this, chunk);
            }
            return w.Unpacked.AsSpan(offset, length);
        }

        public int Count => States.Count;
    }

    private sealed class Worker(Configuration config, bool symmetry)
    {
        public readonly CanonicalForm Form = new(config.Catalogue, config.SlotKinds, symmetry);
        public readonly int[] Perm = new int[config.Slots + 1];
        /// <summary>The events of the step being judged: one list, reused for every step the worker takes.</summary>
        public readonly List<Event> Events = new(64);
        /// <summary>The packed chunk last unpacked, and where from.</summary>
        public byte[] Unpacked = [];
        public Level? UnpackedLevel;
        public int UnpackedChunk;
    }

    public ExploreResult Run()
    {
        clock.Start();
        var workers = Math.Max(1, options.Workers);
        var rootWorker = new Worker(config, options.Symmetry);
        var init = config.Initial();
        var initBytes = rootWorker.Form.Encode(init, rootWorker.Perm, out var initOrbit);
        visited.Shard(VisitedSet.ShardOf(Fingerprint.Of(initBytes))).Add(Fingerprint.Of(initBytes), initBytes);
        links.Add(0, 0);
        unreduced = initOrbit;
        generated = 1;
        var first = Rent();
        var level = new Level { Base = 0, Sources = [first] };
        level.States.Add((0, first.Append(initBytes), initBytes.Length));

        using var progress = options.OnProgress is { } report
            ? new Timer(_ => report(Snapshot(level.Count)), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))
            : null;

        var cutOff = false;
        while (level.Count > 0)
        {
            var expand = options.MaxDepth is not { } max || depth < max;
            keepEncodings = options.Storage == StorageMode.Exact || level.Count <= options.KeepEncodingsUpTo;
            var outputs = Expand(level, expand, workers, out var hadSuccessors);
            if (stopReason >= 0) break;
            if (!expand)
            {
                cutOff = hadSuccessors;
                stopReason = (int)StopReason.DepthBound;
                break;
            }
            if (options.StopAtFirstViolation && book.AnyAlwaysViolated())
            {
                stopReason = (int)StopReason.FirstViolation;
                break;
            }
            level = Insert(level, outputs, workers);
            depth++;
            CheckLimits();
            if (stopReason >= 0) break;
        }
        clock.Stop();

        var stop = stopReason < 0 ? StopReason.Fixpoint : (StopReason)stopReason;
        if (stop == StopReason.DepthBound && !cutOff) stop = StopReason.Fixpoint;
        var complete = stop is StopReason.Fixpoint or StopReason.DepthBound;
        var distinct = visited.Count;
        var stats = new SearchStats(
            generated, distinct, options.Symmetry && options.CountUnreduced ? unreduced : options.Symmetry ? null : distinct,
            depth, clock.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64,
            visited.Bytes + links.Bytes,
            options.Storage == StorageMode.Fingerprint ? distinct * (double)Math.Max(0, generated - distinct) / Math.Pow(2, 64) : null,
            options.Storage, options.Symmetry, workers, stop,
            complete ? 0 : level.Count);
        return new ExploreResult(config, stats, book.Verdicts(complete, stop == StopReason.DepthBound));
    }

    private ExploreProgress Snapshot(int frontier) =>
        new(depth, visited.Count, Interlocked.Read(ref generated), frontier, clock.Elapsed, GC.GetTotalMemory(false));

    private void CheckLimits()
    {
        if (options.Cancel.IsCancellationRequested) stopReason = (int)StopReason.Cancelled;
        else if (options.MaxStates is { } n && visited.Count >= n) stopReason = (int)StopReason.MaxStates;
        else if (options.MaxSeconds is { } sec && clock.Elapsed.TotalSeconds >= sec) stopReason = (int)StopReason.MaxSeconds;
        else if (options.MaxMemoryBytes is { } mem && MemoryInUse() >= mem) stopReason = (int)StopReason.MaxMemory;
    }

    /// <summary>
    /// What --max-memory is compared with: the larger of the managed heap, read at every check (exact and cheap), and the
    /// process's resident set, read at most every 250 ms (it also counts the runtime, native memory and pages the GC holds
    /// but has not handed back, which is what the operating system weighs when it runs out).
    /// </summary>
    private long MemoryInUse()
    {
        var now = clock.ElapsedMilliseconds;
        var due = Interlocked.Read(ref nextResidentSample);
        if (now >= due && Interlocked.CompareExchange(ref nextResidentSample, now + 250, due) == due)
            Interlocked.Exchange(ref residentSet, Environment.WorkingSet);
        return Math.Max(GC.GetTotalMemory(false), Interlocked.Read(ref residentSet));
    }

    // ---- phase 1: expansion --------------------------------------------------------------------------

    private ChunkOutput[] Expand(Level level, bool expand, int workers, out bool hadSuccessors)
    {
        var chunks = (level.Count + ChunkSize - 1) / ChunkSize;
        var outputs = new ChunkOutput[chunks];
        var anySuccessor = 0;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers },
            () => new Worker(config, options.Symmetry),
            (chunk, loop, w) =>
            {
                if (stopReason >= 0) { loop.Stop(); return w; }
                var output = Rent();
                var end = Math.Min(level.Count, (chunk + 1) * ChunkSize);
                long made = 0;
                for (var pos = chunk * ChunkSize; pos < end; pos++)
                    made += ExpandOne(w, level, pos, expand, output, ref anySuccessor);
                Interlocked.Add(ref generated, made);
                outputs[chunk] = output;
                if (chunk % 64 == 0) CheckLimits();
                return w;
            },
            _ => { });
        hadSuccessors = anySuccessor != 0;
        return outputs;
    }

    private int ExpandOne(Worker w, Level level, int pos, bool expand, ChunkOutput output, ref int anySuccessor)
    {
        // Transient: s is read only until this worker decodes its next state (its successors are encoded at once).
        var s = w.Form.Decode(level.Get(pos, w), transient: true);
        var id = level.Base + pos;
        var cat = config.Catalogue;

        // State properties are judged once per distinct state, when it is expanded; the initial state gets every property.
        // A step is built only for a property that still needs judging (none has a shorter finding yet).
        Step? here = null;
        for (var p = 0; p < properties.Count; p++)
            if ((depth == 0 || properties[p].Scope == PropertyScope.State) && !book.HasShorterThan(p, depth) &&
                properties[p].Check(here ??= depth == 0 ? Step.Initial(s, cat) : new Step(null, null, s, [], cat)) is not null)
                Found(p, depth, ((long)pos << 16) | StateKey, id, null);

        if (!s.IsRunning) return 0;
        // Whether some transition property may still be judged at this depth: if none can (each has a shorter finding,
        // which stays so), no property reads the steps' events and the steps leave out increfs and decrefs.
        var judging = false;
        for (var p = 0; p < properties.Count; p++)
            judging |= properties[p].Scope == PropertyScope.Transition && !book.HasShorterThan(p, depth + 1);
        var made = 0;
        for (var a = 0; a < alphabet.Count; a++)
        {
            var action = alphabet[a];
            if (!config.Semantics.IsEnabled(s, action, cat)) continue; // alphabet actions already fit their slots
            if (!expand) { Volatile.Write(ref anySuccessor, 1); return made; }
            // The same next state and events as config.Step, without the outcome. Both are read only until the next
            // step (the properties, then the encoding, which is what is kept), so the state may use the machine's arrays.
            var after = config.Semantics.Successor(s, action, cat, w.Events, refCountEvents: judging, transient: true);
            made++;
            Step? step = null;
            for (var p = 0; judging && p < properties.Count; p++)
                if (properties[p].Scope == PropertyScope.Transition && !book.HasShorterThan(p, depth + 1) &&
                    properties[p].Check(step ??= new Step(s, action, after, w.Events, cat)) is not null)
                    Found(p, depth + 1, ((long)pos << 16) | (long)a, id, a);
            // An action that changed nothing leads back to s, which is visited: no encoding, no look-up.
            if (ReferenceEquals(after, s)) continue;

            var bytes = w.Form.Encode(after, w.Perm, out var orbit);
            var fp = Fingerprint.Of(bytes);
            if (visited.Contains(fp, bytes)) continue;
            var (offset, length) = keepEncodings ? (output.Append(bytes), bytes.Length) : (-1, 0);
            output.ByShard[VisitedSet.ShardOf(fp)].Add(new Candidate(fp, pos, a, offset, length, orbit));
        }
        return made;
    }

    /// <summary>A finding at the end of the path to state <paramref name="id"/> (plus one action, for a transition).</summary>
    private void Found(int property, int length, long key, long id, int? action)
    {
        var prop = properties[property];
        book.Offer(property, length, key, () => Judge.Replay(config, prop, ConcretePath(id, action)));
    }

    // ---- phase 2: insertion ----------------------------------------------------------------------------

    private Level Insert(Level level, ChunkOutput[] outputs, int workers)
    {
        var shards = visited.ShardCount;
        var winners = new List<Candidate>[shards];
        var winnerChunk = new List<int>[shards];
        Parallel.For(0, shards, new ParallelOptions { MaxDegreeOfParallelism = workers }, k =>
        {
            var shard = visited.Shard(k);
            var won = new List<Candidate>();
            var from = new List<int>();
            for (var c = 0; c < outputs.Length; c++)
            {
                var o = outputs[c];
                foreach (var cand in o.ByShard[k])
                    if (shard.Add(cand.Fp, keepEncodings ? o.Arena.AsSpan(cand.Offset, cand.Length) : default)) { won.Add(cand); from.Add(c); }
            }
            winners[k] = won;
            winnerChunk[k] = from;
        });

        // The next level in the order of (parent, action): the order a sequential search meets its states in, and the
        // order that lets each worker derive a run of winners from a few neighbouring parents.
        var order = new List<(Candidate Cand, int Chunk)>();
        for (var k = 0; k < shards; k++)
            for (var j = 0; j < winners[k].Count; j++) order.Add((winners[k][j], winnerChunk[k][j]));
        order.Sort((x, y) => x.Cand.ParentPos != y.Cand.ParentPos ? x.Cand.ParentPos.CompareTo(y.Cand.ParentPos) : x.Cand.Action.CompareTo(y.Cand.Action));
        var next = new Level { Base = links.Count, Sources = outputs };
        foreach (var (cand, chunk) in order)
        {
            links.Add(level.Base + cand.ParentPos, cand.Action);
            unreduced += cand.Orbit;
            if (keepEncodings) next.States.Add((chunk, cand.Offset, cand.Length));
        }
        // Exact mode: the next level's states stay in the arenas of the chunks that found them. Fingerprint mode: the
        // candidates' outputs hold no encodings, so they go back to the pool and the winners are derived into new ones.
        if (!keepEncodings)
        {
            Release(outputs);
            Derive(level, order, next, workers, pack: order.Count > options.PackLevelsAbove);
        }
        Release(level.Sources);
        return next;
    }

    /// <summary>
    /// Fills <paramref name="next"/> with the encodings of <paramref name="winners"/>, in their order, each derived from
    /// its parent in <paramref name="level"/> by its action; <paramref name="pack"/>: compressed, chunk by chunk. Chunks of
    /// winners run on every core, each into its own output; an encoding is a function of the parent and the action, so
    /// the result does not depend on the schedule.
    /// </summary>
    private void Derive(Level level, List<(Candidate Cand, int Chunk)> winners, Level next, int workers, bool pack)
    {
        var chunks = (winners.Count + ChunkSize - 1) / ChunkSize;
        var outputs = pack ? [] : new ChunkOutput[chunks];
        var packed = pack ? new PackedChunk[chunks] : null;
        var lengths = new List<int>[chunks];
        var cat = config.Catalogue;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers },
            () => (Worker: new Worker(config, options.Symmetry), Raw: new ChunkOutput(0), Squeezed: Array.Empty<byte>()),
            (chunk, loop, local) =>
            {
                // A limit or an interruption stops the search here too: a big level takes seconds to derive.
                if (chunk % 64 == 0) CheckLimits();
                if (stopReason >= 0) { loop.Stop(); return local; }
                var w = local.Worker;
                var output = pack ? local.Raw : Rent();
                output.Clear();
                var end = Math.Min(winners.Count, (chunk + 1) * ChunkSize);
                var parentPos = -1;
                State? parent = null;
                var chunkLengths = new List<int>(ChunkSize);
                for (var j = chunk * ChunkSize; j < end; j++)
                {
                    var cand = winners[j].Cand;
                    // Winners come in parent order: a parent's several successors share one decoding.
                    if (cand.ParentPos != parentPos) (parent, parentPos) = (w.Form.Decode(level.Get(cand.ParentPos, w), transient: true), cand.ParentPos);
                    var after = config.Semantics.Successor(parent!, alphabet[cand.Action], cat, w.Events, refCountEvents: false, transient: true);
                    var bytes = w.Form.Encode(after, w.Perm, out _);
                    output.Append(bytes);
                    chunkLengths.Add(bytes.Length);
                }
                lengths[chunk] = chunkLengths;
                if (pack)
                {
                    var raw = output.Arena.AsSpan(0, output.Used);
                    var room = BrotliEncoder.GetMaxCompressedLength(raw.Length);
                    if (local.Squeezed.Length < room) local.Squeezed = new byte[room];
                    if (!BrotliEncoder.TryCompress(raw, local.Squeezed, out var n, quality: 1, window: 22))
                        throw new InvalidOperationException("a chunk of the frontier does not compress into its maximum compressed length");
                    packed![chunk] = new PackedChunk(local.Squeezed.AsSpan(0, n).ToArray(), raw.Length);
                }
                else outputs[chunk] = output;
                return local;
            },
            _ => { });
        next.Sources = outputs;
        next.Packed = packed;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var offset = 0;
            if (lengths[chunk] is null)
            {
                // Stopped before this chunk (the search ends after this level): its states still count as unexplored.
                for (var j = chunk * ChunkSize; j < Math.Min(winners.Count, (chunk + 1) * ChunkSize); j++) next.States.Add((-1, 0, 0));
                continue;
            }
            foreach (var length in lengths[chunk]) // back to back in the chunk's arena
            {
                next.States.Add((chunk, offset, length));
                offset += length;
            }
        }
    }

    private void Release(ChunkOutput[] outputs)
    {
        lock (pool)
            foreach (var o in outputs)
            {
                o.Clear();
                pool.Push(o);
            }
    }

    // ---- traces ----------------------------------------------------------------------------------------

    /// <summary>
    /// The concrete actions from the initial state to state <paramref name="id"/> (then <paramref name="last"/>).
    /// Stored actions name the slots of canonical representatives; replaying the concrete states, each action's
    /// slot is mapped back through the permutation that canonicalised the state it applies to.
    /// </summary>
    private List<Model.Action> ConcretePath(long id, int? last)
    {
        var chain = new List<int>();
        if (last is { } a) chain.Add(a);
        for (var at = id; at != 0; at = links[at].Parent) chain.Add(links[at].Action);
        chain.Reverse();

        var w = new Worker(config, options.Symmetry);
        var s = config.Initial();
        var path = new List<Model.Action>();
        foreach (var index in chain)
        {
            w.Form.Encode(s, w.Perm, out _);
            var action = Rename(alphabet[index], w.Perm);
            path.Add(action);
            s = config.Step(s, action).State;
        }
        return path;
    }

    private static Model.Action Rename(Model.Action a, int[] perm) => a switch
    {
        NewInterp n => n with { I = perm[n.I] },
        EndInterp e => e with { I = perm[e.I] },
        ModuleAction m => m with { I = perm[m.I] }, // `with` keeps the record's own type (import, reload, ...)
        _ => a,
    };
}
