using Verify.Checker.Explore;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Explore;

/// <summary>
/// The verdicts on the default spec's bounds, each with its reason in /work/shared/cpython-semantics.md.
/// A depth of 4 is enough: every expected trace is at most 3 steps long, and breadth-first search reports the shortest.
/// </summary>
public sealed class ShortestCounterexampleTests
{
    /// <summary>Explores the default spec's bounds to depth 4 and returns the violation of <paramref name="p"/>: its last step and the event found.</summary>
    private static (ExploreResult Result, Transition Last, RefEvent Event) ShortestViolation(string semantics, Property p, int length)
    {
        var r = X.Explore(X.DefaultSpec(semantics), depth: 4);
        var v = X.Verdict(r, p);
        Assert.Equal(Verdict.Violated, v.Verdict);
        Assert.Equal(length, v.Trace!.Length);
        var last = v.Trace.Transitions[^1];
        return (r, last, Assert.IsType<RefEvent>(last.Events[v.Trace.Finding.EventIndex]));
    }

    [Fact]
    public void Cpython311_breaks_decref_isolation_in_one_step_by_creating_a_subinterpreter()
    {
        // §D1: Py_NewInterpreter runs sys's fix-up in the new interpreter, which drops main's sys m_copy.
        var r = X.Explore(X.DefaultSpec("cpython-3.11"), depth: 4);
        var v = X.Verdict(r, IsolationProperties.NoCrossInterpreterDecref);
        Assert.Equal(Verdict.Violated, v.Verdict);
        Assert.NotNull(v.Trace);
        var step = Assert.Single(v.Trace.Steps);
        Assert.IsType<NewInterp>(step);
        var e = Assert.IsType<RefEvent>(v.Trace.Transitions[0].Events[v.Trace.Finding.EventIndex]);
        Assert.Equal(RefOp.Decref, e.Op);
        Assert.Equal(Interp.Main, e.Object.Owner);
        Assert.Equal(ObjKind.Dict, e.Object.Kind);
    }

    [Fact]
    public void Cpython312_breaks_decref_isolation_in_three_steps()
    {
        // §D2 (main imports, a subinterpreter imports the same def under another name: the fix-up there drops
        // main's m_copy) and §D4 (clear_extension in a subinterpreter drops main's m_copy) are both 3 steps;
        // creating a subinterpreter no longer touches sys's m_copy (T9 in 3.12: no m_copy for core modules).
        // T5 works both ways: whichever interpreter imports the alias second drops the other's m_copy.
        var (_, last, e) = ShortestViolation("cpython-3.12", IsolationProperties.NoCrossInterpreterDecref, length: 3);
        Assert.NotEqual(e.Object.Owner, e.Actor);
        Assert.Contains(last.Events, x => x is MCopyChanged c && c.Old == e.Id);
    }

    [Fact]
    public void Cpython313_decrefs_across_interpreters_only_without_freeing_and_keeps_the_m_copy_invariants()
    {
        // §4's table, 3.13 column: "foreign free or replacement of m_copy: no (every write and release of m_copy
        // happens under main)"; "foreign decref of shared values (no free): yes: subinterpreter teardown decrefs
        // main-owned values; clear_extension in a subinterpreter drops the def's extra reference". Shortest:
        // create, import (in main or the subinterpreter), then end the subinterpreter or clear_extension there.
        var (r, last, e) = ShortestViolation("cpython-3.13", IsolationProperties.NoCrossInterpreterDecref, length: 3);
        Assert.Equal(Interp.Main, e.Object.Owner);
        Assert.True(e.Object.RefCount > 1, "the foreign decref must not be the last reference (no free)");
        Assert.DoesNotContain(last.Events, x => x is RefEvent { Op: RefOp.Free } f && f.Actor != f.Object.Owner);

        // The m_copy is always made and released under main (T1, T10, T12 of §2.3), and subinterpreters hold only
        // copy modules, so nothing they own outlives them and nothing is freed under a foreign allocator.
        Assert.Equal(Verdict.HoldsWithinDepth, X.Verdict(r, IsolationProperties.NoForeignFree).Verdict);
        Assert.Equal(Verdict.HoldsWithinDepth, X.Verdict(r, IsolationProperties.MCopyOwnerAlive).Verdict);
        Assert.Equal(Verdict.HoldsWithinDepth, X.Verdict(r, IsolationProperties.NoDeadOwner).Verdict);
    }

    [Fact]
    public void Cpython313_frees_a_main_dict_under_a_subinterpreter_through_the_cache_dance_in_five_steps()
    {
        // Not a belief: specs/evidence/dance-313-foreign-free.py runs these five steps on real 3.13.0, which aborts
        // with "free(): invalid pointer" at the fifth. clear_extension (T10) drops def.m_copy while the alias's
        // record stays cached, so the alias's import deletes that record (the "little dance") in the importer.
        var r = X.Explore(X.DefaultSpec("cpython-3.13"), depth: 5);
        var v = X.Verdict(r, IsolationProperties.NoForeignFree);
        Assert.Equal(Verdict.Violated, v.Verdict);
        Assert.Equal(5, v.Trace!.Length);
        Assert.Contains(v.Trace.Steps, a => a is ClearExtension);
        Assert.Equal(OutcomeKind.Crash, v.Trace.Transitions[^1].Outcome.Kind);
    }

    [Theory]
    [InlineData("cpython-3.11")]
    [InlineData("cpython-3.12")]
    [InlineData("cpython-3.13")]
    public void Every_counterexample_replays_on_the_concrete_model_and_shows_its_finding(string semantics)
    {
        var config = X.DefaultSpec(semantics);
        var r = X.Explore(config, depth: 4);
        foreach (var v in r.Verdicts.Where(v => v.Trace is not null))
        {
            var s = config.Initial();
            Step step = Step.Initial(s, config.Catalogue);
            foreach (var a in v.Trace!.Steps)
            {
                Assert.Null(config.WhyDisabled(s, a));
                var t = config.Step(s, a);
                step = Step.Of(s, t, config.Catalogue);
                s = t.State;
            }
            Assert.NotNull(v.Property.Check(step));
        }
    }
}
