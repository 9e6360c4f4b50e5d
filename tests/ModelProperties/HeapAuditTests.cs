using Verify.Model;
using Xunit;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// The audit must see each kind of corruption, or the refcounts-exact property would pass vacuously.
/// Each test breaks one thing in a sound state (main has imported <c>_testsinglephase</c>) and expects it named.
/// </summary>
public sealed class HeapAuditTests
{
    private static State Sound()
    {
        var cfg = ModelConfigs.For("cpython-3.12");
        var mod = cfg.Catalogue.ModuleIndex(DefaultCatalogue.TestSinglePhase);
        return cfg.Step(cfg.Initial(), new Import(Interp.Main, mod)).State;
    }

    private static State WithHeap(State s, ValueArray<HeapObject> heap) =>
        new(s.Phase, s.Interps, s.Defs, s.Cache, s.Globals, s.IndexCounter, heap);

    private static int First(State s, ObjKind kind) => Enumerable.Range(0, s.Heap.Count).First(i => s.Heap[i].Kind == kind);

    [Fact]
    public void A_sound_state_has_no_problem()
    {
        var s = Sound();
        Assert.True(s.Heap.Count > 0);
        Assert.Empty(HeapAudit.Check(s));
    }

    [Fact]
    public void A_count_above_the_references_held_is_reported()
    {
        var s = Sound();
        var i = First(s, ObjKind.List);
        var bad = WithHeap(s, s.Heap.SetItem(i, s.Heap[i] with { RefCount = (short)(s.Heap[i].RefCount + 1) }));
        var p = Assert.Single(HeapAudit.Check(bad));
        Assert.Contains($"#{i} (List", p);
        Assert.Contains($"has refcount {s.Heap[i].RefCount + 1} but {s.Heap[i].RefCount} reference(s)", p);
    }

    [Fact]
    public void A_reference_outside_the_heap_is_reported_as_dangling()
    {
        var s = Sound();
        var i = First(s, ObjKind.Func);
        var bad = WithHeap(s, s.Heap.SetItem(i, s.Heap[i] with { Self = new ObjId(s.Heap.Count + 3) }));
        var problems = HeapAudit.Check(bad);
        Assert.Contains(problems, p => p.Contains("outside the heap") && p.Contains($"#{s.Heap.Count + 3}"));
        // The module it pointed at lost that reference, so its count is now one too high.
        Assert.Contains(problems, p => p.Contains($"#{s.Heap[i].Self.Value} (Module") && p.Contains("has refcount"));
    }

    [Fact]
    public void An_object_with_a_zero_count_still_in_the_heap_is_reported()
    {
        var s = Sound();
        var i = First(s, ObjKind.Type);
        var bad = WithHeap(s, s.Heap.SetItem(i, s.Heap[i] with { RefCount = 0 }));
        var problems = HeapAudit.Check(bad);
        Assert.Contains(problems, p => p.Contains($"#{i} (Type) is still in the heap with refcount 0"));
    }

    [Fact]
    public void A_reference_in_a_slot_the_kind_does_not_have_is_reported()
    {
        var s = Sound();
        var list = First(s, ObjKind.List);
        var dict = First(s, ObjKind.Dict);
        var bad = WithHeap(s, s.Heap.SetItem(list, s.Heap[list] with { Dict = new ObjId(dict) }));
        Assert.Contains(HeapAudit.Check(bad), p => p.Contains($"#{list} (List) holds #{dict} in its dict slot"));
    }

    [Fact]
    public void A_root_the_counts_miss_is_reported()
    {
        var s = Sound();
        var mod = s.Interps[Interp.Main].SysModules.First(m => m.IsObject);
        var main = s.Interps[Interp.Main];
        // A second sys.modules entry for the same module object, without the incref that storing it needs.
        var free = Enumerable.Range(0, main.SysModules.Count).First(k => main.SysModules[k].IsNone);
        var bad = new State(s.Phase, s.Interps.SetItem(Interp.Main, main with { SysModules = main.SysModules.SetItem(free, mod) }),
            s.Defs, s.Cache, s.Globals, s.IndexCounter, s.Heap);
        var p = Assert.Single(HeapAudit.Check(bad));
        Assert.Contains($"#{mod.Value} (Module", p);
    }
}
