using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>no-dead-owner against S1, S1' and S3 (§3.2 of the semantics document) and T11.</summary>
public class NoDeadOwnerTests
{
    private static readonly Property P = IsolationProperties.NoDeadOwner;

    // S1 continued: "A is destroyed. m_copy is cleared (T11). The A-owned objects survive in main and B, kept alive by
    // their dicts" (3.10-3.12). Found when A ends, at step 6, and not before (A is alive until then).
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void S1_TheFirstImportersObjectsOutliveIt(string v)
    {
        var hit = AssertFirstAt(P, 6, v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1));
        Assert.Contains("after sub1 ended", hit.Finding.Message);
    }

    // S1': "J imports X first. J re-imports X (after del sys.modules). The copy module replaces J's MBI slot. destroy(J)
    // does not clear m_copy." J's m_copy (and the values it holds) stays reachable from the def after J ended (3.10-3.12).
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void S1Prime_TheMCopyOfTheEndedJStaysReachable(string v) =>
        AssertFirstAt(P, 5, v, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1));

    // S3 (3.13+): every object an init makes is main's; "Main's objects cannot die before the subinterpreter ends, so the
    // dangling-owner crashes of S1 and S2 disappear". S1 and S1' (with main's later import, T11's sequence) hold.
    [Fact]
    public void S1_Holds313() =>
        AssertHolds(P, V313, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Del(0, X), Imp(0, X), End(2));

    [Fact]
    public void S1Prime_Holds313() => AssertHolds(P, V313, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1), Imp(0, X));

    // T11: "only defs whose init ran in J lose their m_copy" and J held the only references to what its init made: when
    // nobody copied J's objects, ending J leaves nothing of J reachable. T9/D1 on 3.10/3.11: "every subinterpreter
    // teardown resets DEF(sys).m_copy to NULL", so the sys m_copy J installed does not outlive J either.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void AnEndedInterpreterNobodyCopiedLeavesNothingReachable(string v) =>
        AssertHolds(P, v, New(1), Imp(1, X), Imp(1, Reinit), Imp(1, Multi), End(1), New(2), End(2));

    // S2 (3.12): the same class with an isolated+override S: "main's dict now holds S-allocated objects. destroy(S)".
    [Fact]
    public void S2_MainHoldsTheIsolatedInterpretersObjectsAfterItEnded() =>
        AssertFirstAt(P, 4, V312, New(1, InterpKind.IsolatedOverride), Imp(1, X), Imp(0, X), End(1));
}
