using Verify.Checker.Compare;
using Verify.Model;
using Xunit;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Compare;

/// <summary>
/// The behaviour changes compare reports, on hand-written traces whose difference from 3.13 the semantics document
/// (§2.3, §4) and the strategies' designs predict.
/// </summary>
public sealed class CostProbeTests
{
    private static CostProbe.Result Probe(string strategy, params Verify.Model.Action[] steps) =>
        CostProbe.Compare(Config(V313), Config(strategy), steps);

    private static CostHit Hit(CostProbe.Result r, CostKind kind) => Assert.Single(r.Hits, h => h.Kind == kind);

    // §4 T3 (a): a second interpreter runs the init again, where 3.13 copies main's objects (O8: no init on 3.13).
    [Fact]
    public void Per_interpreter_def_runs_the_init_again_in_a_second_interpreter()
    {
        var r = Probe("fix-per-interp-def", New(1), Imp(0, X), Imp(1, X));
        Assert.Equal(2, Hit(r, CostKind.InitRunsAgain).Step);
        Assert.Equal(2, Hit(r, CostKind.CGlobalsReinitialised).Step);
        Assert.DoesNotContain(r.Hits, h => h.Kind == CostKind.Unimportable);
        Assert.False(r.Diverged);
    }

    // §4 T3 (b), and O3: the subinterpreter's module is now the init-created one (func.__self__ is the module), False on 3.13.
    [Fact]
    public void Per_interpreter_m_copy_makes_the_subinterpreters_module_init_created()
    {
        var r = Probe("fix-per-interp-m-copy", New(1), Imp(1, X));
        var change = Hit(r, CostKind.VisibleChange);
        Assert.Equal(1, change.Step);
        Assert.Contains("__self__", change.What);
    }

    // §4 opt-out, T5: the rename raises ImportError; 3.13 imports it (running the init again, O5), so the strategy also avoids that init.
    [Fact]
    public void Opt_out_makes_a_rename_unimportable()
    {
        var r = Probe("fix-opt-out", Imp(0, X), Imp(0, Alias));
        Assert.Equal(1, Hit(r, CostKind.Unimportable).Step);
        Assert.Equal(1, Hit(r, CostKind.InitAvoided).Step);
    }

    // A trace the strategy cannot follow: after the refused import there is nothing to delete, so the traces part.
    [Fact]
    public void Opt_out_parts_from_a_trace_that_deletes_what_it_refused()
    {
        var r = Probe("fix-opt-out", Imp(0, X), Imp(0, Alias), Del(0, Alias));
        Assert.True(r.Diverged);
    }

    // Own design: a rename copies from the immortal m_copy, where 3.13 runs the init again (O5); nothing is lost.
    [Fact]
    public void Immortal_m_copy_avoids_the_renames_init_and_costs_no_import()
    {
        var r = Probe("fix-immortal-m-copy", New(1), Imp(0, X), Imp(1, X), Imp(1, Alias), Del(1, X), Imp(0, Alias));
        Assert.Equal(3, Hit(r, CostKind.InitAvoided).Step);
        Assert.DoesNotContain(r.Hits, h => h.Kind is CostKind.Unimportable or CostKind.InitRunsAgain or CostKind.CGlobalsReinitialised);
    }

    // The same release against itself changes nothing.
    [Fact]
    public void The_baseline_against_itself_has_no_change()
    {
        var r = CostProbe.Compare(Config(V313), Config(V313), [New(1), Imp(0, X), Imp(1, X), Imp(1, Alias), Clear(1, X), End(1), Imp(0, X)]);
        Assert.Empty(r.Hits);
    }

    // The example compare prints is made 1-minimal: noise around §4's T3 trace (a sub imports first, then main) goes.
    [Fact]
    public void A_cost_example_shrinks_to_the_three_steps_that_show_it()
    {
        Verify.Model.Action[] noisy = [New(2, InterpKind.IsolatedOverride), New(1), End(2), Imp(1, X), Del(1, X), Imp(0, X), End(1)];
        var (steps, what) = CompareRunner.Shrink(Config(V313), Config("fix-per-interp-def"), CostKind.InitRunsAgain, noisy,
            CostProbe.Compare(Config(V313), Config("fix-per-interp-def"), noisy).Hits.Single(h => h.Kind == CostKind.InitRunsAgain).What);
        Assert.Equal([New(1), Imp(1, X), Imp(0, X)], steps);
        Assert.Contains("the init runs again", what);
    }
}
