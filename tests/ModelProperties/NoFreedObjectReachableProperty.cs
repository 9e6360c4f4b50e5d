using FsCheck.Fluent;
using Verify.Model;
using Verify.Tests.FsCheckSupport;
using Xunit;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// (b) no freed object is reachable, and nothing survives that should have been freed. In every state along
/// a valid trace:
/// <list type="number">
/// <item>every reference held, by a root or by a heap object, is a heap index (a freed object is dropped
/// from the frozen heap, so an index outside it is a use-after-free);</item>
/// <item>every heap object is reachable from the roots (<see cref="State.Reachable"/>) or is owned by an
/// interpreter whose status is <see cref="InterpStatus.Ended"/>. An ended interpreter's objects are in no live
/// collector's lists, so a cycle of them leaks on purpose (as in CPython). Any other unreachable object is
/// garbage that a decref or a live collector (which runs after every step, and for each interpreter as it
/// ends) should have freed. This is the strict form: an unreachable object of a live interpreter that only an
/// ended interpreter's leaked cycle keeps alive would fail it too; no such state has been generated. With the
/// fixed seed the exemption is needed only after <c>finalize</c> on 3.13 (the summary line reports how often).</item>
/// </list>
/// </summary>
public sealed class NoFreedObjectReachableProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Every_reference_is_live_and_every_unreachable_object_belongs_to_an_ended_interpreter(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            var leaks = false;
            for (var k = 0; k < states.Count; k++)
            {
                var s = states[k];
                if (Dangling(s) is { } dangling) throw t.Violation(k, dangling);
                var reachable = s.Reachable();
                leaks |= reachable.Contains(false);
                var kept = KeptAlive(s, reachable);
                for (var i = 0; i < s.Heap.Count; i++)
                    if (!kept[i])
                        throw t.Violation(k, $"#{i} ({Objects.Describe(s.Heap[i], cfg.Catalogue)}, refcount {s.Heap[i].RefCount}) " +
                            "is unreachable from the roots and its owner has not ended, yet it was not freed");
            }
            // Shows in the summary how often the ended-interpreter exemption was needed at all.
            return true.Classify(leaks, "an ended interpreter's object survived unreachable");
        }), runs: 300);
    }

    private static string? Dangling(State s)
    {
        foreach (var r in s.Roots())
            if (r.IsObject && r.Value >= s.Heap.Count) return $"a root holds {r}, outside the heap of {s.Heap.Count} objects";
        for (var i = 0; i < s.Heap.Count; i++)
            foreach (var r in s.Heap[i].References())
                if (r.Value >= s.Heap.Count) return $"#{i} ({s.Heap[i].Kind}) holds {r}, outside the heap of {s.Heap.Count} objects";
        return null;
    }

    /// <summary>Objects reachable from the roots, or owned by an ended interpreter.</summary>
    private static bool[] KeptAlive(State s, bool[] reachable)
    {
        var kept = (bool[])reachable.Clone();
        for (var i = 0; i < s.Heap.Count; i++)
            kept[i] |= s.Interps[s.Heap[i].Owner].Status == InterpStatus.Ended;
        return kept;
    }
}
