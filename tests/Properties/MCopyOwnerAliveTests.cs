using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>m-copy-owner-alive against S1' and T11 of the semantics document, and 3.13's cache records.</summary>
public class MCopyOwnerAliveTests
{
    private static readonly Property P = IsolationProperties.MCopyOwnerAlive;

    // S1' (3.10-3.12): "J re-imports X (after del sys.modules). The copy module replaces J's MBI slot. destroy(J) does not
    // clear m_copy. Any later import copies J's dead objects." T11: "ending J does not clear m_copy even though J owns it".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void S1Prime_TheMCopyOfTheEndedJIsStillCached(string v)
    {
        var hit = AssertFirstAt(P, 5, v, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1));
        Assert.Contains(X, hit.Finding.Message);
        Assert.Contains("owned by sub1", hit.Finding.Message);
    }

    // S1' on 3.13: the init ran under main ("m_copy is always main-owned"), and the record's copied is main's too
    // (T1 3.13: "copied = PyDict_Copy(m_dict) is owned by main, and interpid = 0").
    [Fact]
    public void S1Prime_Holds313() => AssertHolds(P, V313, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1), Imp(0, X));

    // S1 / O7: ending the subinterpreter that ran the init, with its init-created module still in its MBI, clears m_copy:
    // "the def's m_copy after destroying a subinterpreter that ran the init: NULL (cleared) | NULL | unchanged" (3.13: main
    // owns it). The objects outlive A (no-dead-owner), but no cached m_copy is A's.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void S1_TheTeardownOfTheInitRunnerLeavesNoDeadMCopy(string v) =>
        AssertHolds(P, v, New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Del(0, X), Imp(0, X));

    // D1 (3.10/3.11): the sys m_copy becomes each new subinterpreter's, and "every subinterpreter teardown resets
    // DEF(sys).m_copy to NULL" (CO3, CO5), including A's teardown clearing the one C installed (CO4).
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    public void D1_TheSysMCopyNeverOutlivesItsOwner(string v)
    {
        AssertHolds(P, v, New(1), New(2), End(1), End(2));
        AssertHolds(P, v, New(1), New(2), End(2), End(1));
    }

    // D3 (3.10-3.12): B's rename gives m_copy to B; ending A clears it ("m_copy goes from non-NULL to 0"), ending B then
    // finds nothing to clear.
    [Theory]
    [InlineData(V310)]
    [InlineData(V312)]
    public void D3_TheClearedMCopyIsNotDeadOwned(string v) =>
        AssertHolds(P, v, New(1), New(2), Imp(1, X), Imp(2, Alias), End(1), End(2));

    // D3 with B ended first: B's rename installed a B-owned m_copy (and B's MBI slot holds B's init-created alias module),
    // so B's teardown clears it: hand derivation from D3 step 2 and T11 ("for each module in MBI[J] with md_def set, drop
    // md_def.m_copy").
    [Theory]
    [InlineData(V311)]
    [InlineData(V312)]
    public void D3_EndingTheRenamerFirstClearsItsMCopy(string v) =>
        AssertHolds(P, v, New(1), New(2), Imp(1, X), Imp(2, Alias), End(2));

    // The property judges a running process only: finalization may leave m_copy set (no-leak-after-finalize's concern).
    [Fact]
    public void AFinalizedProcessIsNotJudged() =>
        Assert.Null(Verdicts(P, V311, New(1), Imp(1, X), Del(1, X), Imp(1, X), new Finalization())[5]);
}
