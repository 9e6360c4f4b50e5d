using Xunit;
using Verify.Model;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Scenarios;

/// <summary>
/// The fix strategies against the semantics document's §4 table ("predicted effect of each design on each transition"),
/// and against each strategy's own design where §4 says nothing (docs/strategies.md).
/// </summary>
public class StrategyTransitionTests
{
    private const string A = "fix-per-interp-def", B = "fix-per-interp-m-copy", Opt = "fix-opt-out", Imm = "fix-immortal-m-copy";

    // §4 T1, columns (a) and (b): "init in I; I's def copy holds I's m_copy" / "init in I; m_copy[I]".
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public void T1_TheInitRunsInTheImporterAndItsOwnMCopyIsItsOwn(string v)
    {
        var t = Run(v, New(1), Imp(1, X));
        t.AssertAllOk();
        Assert.Equal(1, Assert.Single(t.Inits(1, X, InitKind.Init)).Interp);
        var own = t.Final.Interps[1].OwnMCopyOf(D(X));
        Assert.True(own.IsObject);
        Assert.Equal(1, t.Final.Obj(own).Owner);
        Assert.Null(St.MCopy(t.Final, X)); // the static def's m_copy is never used
    }

    // §4 T3, (a) and (b): "init runs again in J (J has no m_copy); the C globals are re-initialised", and no object of
    // main's reaches J's dict ("foreign objects in a module dict? no").
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public void T3_ASecondInterpreterRunsTheInitAgainAndHoldsOnlyItsOwnObjects(string v)
    {
        var t = Run(v, New(1), Imp(0, X), Imp(1, X));
        t.AssertAllOk();
        Assert.Equal(1, Assert.Single(t.Inits(2, X, InitKind.Init)).Interp);
        var obs = t.ObserveFinal();
        Assert.Equal(2, St.Mod(obs, 1, X).InitializedCount);
        Assert.Equal(1, St.Mod(obs, 1, X).InitInterp);
        Assert.False(obs.Sharing.Single(x => x.Mod == X).Values);
    }

    // §4 T2, (a) and (b): "copy from m_copy[I]": after del, the same interpreter re-imports without an init, from its own copy.
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public void T2_AReimportAfterDelCopiesFromTheInterpretersOwnMCopy(string v)
    {
        var t = Run(v, New(1), Imp(1, X), Del(1, X), Imp(1, X));
        t.AssertAllOk();
        Assert.Empty(t.Inits(3));
        Assert.False(St.Mod(t.ObserveFinal(), 1, X).InitCreated);
        Assert.Equal(1, St.Mod(t.ObserveFinal(), 1, X).InitInterp);
    }

    // §4 T11, (a) "frees J's def copy", (b) "frees m_copy[J]": by J itself, so nothing of J's survives.
    [Theory]
    [InlineData(A)]
    [InlineData(B)]
    public void T11_EndingAnInterpreterDropsItsOwnMCopyInIt(string v)
    {
        var t = Run(v, New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1));
        t.AssertAllOk();
        var drop = Assert.Single(t[4].Events.OfType<MCopyChanged>(), e => e.Holder == 1 && e.New.IsNone);
        Assert.Equal(1, drop.Actor);
        Assert.DoesNotContain(t.Final.Heap, o => o.Owner == 1);
    }

    // §4 T5, (b): "only m_copy[J] replaced": a rename in J replaces J's copy, by J; main's stays.
    [Fact]
    public void T5_PerInterpreterMCopy_ARenameReplacesOnlyTheImportersCopy()
    {
        var t = Run(B, New(1), Imp(0, X), Imp(1, X), Imp(1, Alias));
        t.AssertAllOk();
        Assert.DoesNotContain(t[3].Events.OfType<RefEvent>(), e => e.Op != RefOp.Incref && e.IsForeign);
        Assert.Equal(0, t.Final.Obj(t.Final.Interps[0].OwnMCopyOf(D(X))).Owner);
        Assert.Equal(1, t.Final.Obj(t.Final.Interps[1].OwnMCopyOf(D(X))).Owner);
    }

    // §4 opt-out column: T1 "succeeds once per process"; T2 (after del), T3 (another interpreter) and T5 (rename): ImportError.
    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void OptOut_ASecondLoadAnywhereRaisesImportError(bool afterDel, bool otherInterp, bool rename)
    {
        var steps = new List<Verify.Model.Action> { New(1), Imp(0, X) };
        if (afterDel) steps.AddRange([Del(0, X), Imp(0, X)]);
        if (otherInterp) steps.Add(Imp(1, X));
        if (rename) steps.Add(Imp(0, Alias));
        var t = Run(Opt, [.. steps]);
        var last = t[t.Steps.Count - 1];
        Assert.Equal(OutcomeKind.ImportError, last.Outcome.Kind);
        Assert.Contains("more than once per process", last.Outcome.Message);
        Assert.Empty(t.Inits(t.Steps.Count - 1));
        Assert.Equal(1, t.Final.Globals[Cat.DefOf(M(X)).Globals].InitCount);
    }

    // Own design: m_copy and what it reaches become immortal under main; a subinterpreter's copy shares those values
    // (so importing stays possible) and its teardown writes no refcount of main's.
    [Fact]
    public void Immortal_ASubinterpreterSharesImmortalValuesAndNeverDecrefsMains()
    {
        var t = Run(Imm, New(1), Imp(0, X), Imp(1, X), End(1));
        t.AssertAllOk();
        Assert.Empty(t.Inits(2)); // a copy, not an init
        var mcopy = St.MCopy(t.Before(3), X)!.Value;
        Assert.True(mcopy.Immortal);
        Assert.Equal(0, mcopy.Owner);
        var sub = St.Module(t.Before(3), 1, X);
        Assert.Equal(1, sub.Owner);
        Assert.True(t.Before(3).Obj(St.Value(t.Before(3), 1, X, Attr.Obj)).Immortal);
        foreach (var step in t.Steps)
            Assert.DoesNotContain(step.Events.OfType<RefEvent>(), e => e.Op != RefOp.Incref && e.IsForeign);
    }

    // Own design: the cache is looked up by def, so a rename copies (no init) and returns the module this interpreter already
    // holds for the def; clear_extension cannot make the init run again while the immortal m_copy lives.
    [Fact]
    public void Immortal_ARenameAndAClearedCacheRunNoInitAgain()
    {
        var t = Run(Imm, Imp(0, X), Imp(0, Alias), Clear(0, X), Del(0, X), Del(0, Alias), Imp(0, X));
        t.AssertAllOk();
        Assert.Equal(1, t.Final.Globals[Cat.DefOf(M(X)).Globals].InitCount);
        Assert.Equal(St.SysModule(t.Before(2), 0, X), St.SysModule(t.Before(2), 0, Alias));
    }

    // Own design: at the end of the runtime main releases the immortal objects; nothing survives finalization.
    [Fact]
    public void Immortal_FinalizationReleasesEveryImmortalObject()
    {
        var t = Run(Imm, New(1), Imp(1, X), Imp(0, Alias), new Finalization());
        t.AssertAllOk();
        Assert.Equal(ProcessPhase.Finalized, t.Final.Phase);
        Assert.Empty(t.Final.Heap);
        Assert.DoesNotContain(t[3].Events.OfType<RefEvent>(), e => e.Op == RefOp.Free && e.ActorDomain != e.Object.Domain);
    }
}
