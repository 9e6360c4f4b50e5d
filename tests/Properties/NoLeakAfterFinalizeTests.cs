using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>no-leak-after-finalize against T11/T12 of the semantics document.</summary>
public class NoLeakAfterFinalizeTests
{
    private static readonly Finalization Fin = new();
    private static readonly Property P = IsolationProperties.NoLeakAfterFinalize;

    // T12 ≤3.12: "finalize_modules(main): the same as T11 for main's init-created modules" (T11: "for each module in MBI[J]
    // with md_def set, drop md_def.m_copy"); then 3.10/3.11 "_PyImport_Fini drops the extensions dict" (whose values are
    // the static defs) and 3.12 "the keys are raw-freed; the defs and m_copy are untouched there". T2: main's del +
    // re-import puts a copy module (md_def NULL) in MBI[main] in place of the init-created one. So at finalization no
    // module in MBI[main] names the def and nothing drops m_copy: the dict, its values and the init-created module their
    // functions point at survive. [hand derivation from T2, T11, T12; checked with a probe whose m_free reports: the
    // init-created module is never freed on 3.10.13, 3.11.7 and 3.12.1, and is freed at exit on 3.13.0]
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    public void T12_AnMCopyMainsMbiNoLongerReachesSurvivesFinalization(string v)
    {
        var hit = AssertFirstAt(P, 4, v, Imp(0, X), Del(0, X), Imp(0, X), Fin);
        Assert.Contains("survive finalization", hit.Finding.Message);
        Assert.True(hit.Judged.After.Defs[D(X)].MCopy.IsObject);
    }

    // S1' ends the same way: J's m_copy is not cleared at J's end (T11), nor by main's finalization (≤3.12). Checked with
    // the m_free probe on 3.10.13-3.12.1: J's init-created module is never freed.
    [Theory]
    [InlineData(V311)]
    [InlineData(V312)]
    public void S1Prime_TheDeadJsMCopySurvivesFinalization(string v) =>
        AssertFirstAt(P, 6, v, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1), Fin);

    // T12 3.13: "_PyImport_Fini destroys the hashtable; each record destructor drops copied and any remaining def.m_copy"
    // (§4: "records freed (drop copied and def.m_copy)"): the same sequences leave nothing.
    [Fact]
    public void T12_313RecordsDropEveryMCopy()
    {
        AssertHolds(P, V313, Imp(0, X), Del(0, X), Imp(0, X), Fin);
        AssertHolds(P, V313, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1), Fin);
    }

    // Main's init-created module still in MBI[main] at finalization: "finalize_modules(main) drops def.m_copy for defs whose
    // init-created module is in MBI[main]" (T12; the same T11 logic ≤3.12). After a rename in main, MBI[main] holds the
    // init-created alias module of the same def (T5), so the m_copy is still dropped. Every module main holds goes with
    // sys.modules.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T12_MainsInitCreatedModulesTakeTheirMCopyWithThem(string v)
    {
        AssertHolds(P, v, Imp(0, X), Fin);
        AssertHolds(P, v, Imp(0, X), Imp(0, Alias), Imp(0, Copy), Imp(0, Reinit), Imp(0, Multi), Fin);
    }

    // S1 on 3.12.1: main's finalization frees A's objects and "3.12.1 then segfaults at exit, in main's final GC": the
    // process never reaches a finalized state, so there is nothing to judge. 3.13: S3, every object an init made is main's
    // and goes with the records at finalization.
    // Not 3.10/3.11: there, CPython's teardown of A leaks one reference to every object of A still alive ("Leak one strong
    // reference on purpose so the object is never deleted", gh-92036, with the untracking the document mentions), so A's
    // objects do survive main's finalization (checked on 3.10.13 and 3.11.7 with an m_free probe: A's module is never
    // freed), while the model frees them. A model gap, reported; no test asserts either side here.
    [Theory]
    [InlineData(V312)]
    [InlineData(V313)]
    public void S1_FinalizationLeavesNothingOfTheEndedInterpreter(string v)
    {
        var cfg = Config(v);
        var verdicts = VerdictsUntilCrash(P, cfg, [New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Fin]);
        Assert.Equal(8, verdicts.Count);
        Assert.All(verdicts, Assert.Null);
    }

    // Subinterpreters left alive at exit are ended first (T12; §2.3 "remaining subinterpreters are ended during
    // Py_Finalize"); each clears the m_copy of the init it ran (T11).
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void RemainingSubinterpretersAreEndedAndCleanedUp(string v) =>
        AssertHolds(P, v, New(1), New(2), Imp(1, X), Imp(2, Reinit), Imp(2, Multi), Fin);

    // Before finalization the property says nothing: a running process holds plenty of mortal objects.
    [Fact]
    public void ARunningProcessIsNotJudged() => AssertHolds(P, V311, Imp(0, X), Del(0, X), Imp(0, X));
}
