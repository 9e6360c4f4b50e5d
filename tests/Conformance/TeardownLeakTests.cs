using Verify.Model;
using Xunit;
using Verify.Tests.Scenarios;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Conformance;

/// <summary>
/// What a subinterpreter's teardown does to the objects it made that outlive it. On 3.10/3.11 <c>_PyGC_Fini</c> untracks
/// each of them and increfs it on purpose (gc_fini_untrack, bpo-46070 / gh-92036); 3.12 lost that loop (gh-94673). The
/// expected values are real CPython's: the recorded <c>s1-prime-dead-owner</c> runs (m_copy's refcount after step 5 is 2
/// on 3.10.13 and 3.11.7, 1 on 3.12.1), and a list made in a legacy subinterpreter, kept alive by one extra reference,
/// which has one reference more after <c>destroy</c> on 3.10.13/3.11.7 and none more on 3.12.1/3.13.0.
/// </summary>
public class TeardownLeakTests
{
    // S1': sub1 runs the init, then del + re-import puts a copy in its modules-by-index slot, so ending sub1 keeps m_copy.
    private static Verify.Tests.Scenarios.Trace SPrime(string v) => Run(v, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1));

    [Theory]
    [InlineData(V310, 2)]
    [InlineData(V311, 2)]
    [InlineData(V312, 1)]
    public void Ending_the_interpreter_that_made_m_copy_leaks_a_reference_to_it_before_3_12(string v, int refcount)
    {
        var t = SPrime(v);
        t.AssertAllOk();
        Assert.Equal(refcount, St.DefObs(t.ObserveFinal(), X).MCopyRefcount);
    }

    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void A_leaked_survivor_is_never_freed_so_no_dead_owner_free_happens(string v)
    {
        // Main's finalization drops m_copy (main's own init-created module is in its modules-by-index): before the leak
        // the model freed sub1's dict there; with it the dict only loses main's reference, as 3.10/3.11 never crash here.
        var t = Run(v, Imp(0, X), New(1), Imp(1, Alias), Del(1, Alias), Imp(1, Alias), End(1), new Finalization());
        t.AssertAllOk();
        var frees = t[6].Events.OfType<RefEvent>().Where(e => e.Op == RefOp.Free && e.Object.Owner == 1).ToList();
        Assert.Empty(frees);
    }

    [Fact]
    public void On_3_12_the_same_free_is_a_dead_owner_free()
    {
        var t = Run(V312, Imp(0, X), New(1), Imp(1, Alias), Del(1, Alias), Imp(1, Alias), End(1), new Finalization());
        Assert.Contains(t[6].Events.OfType<RefEvent>(), e => e.Op == RefOp.Free && e.Object.Owner == 1 && e.Object.Kind == ObjKind.Dict);
    }
}
