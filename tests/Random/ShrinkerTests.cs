using FsCheck;
using FsCheck.Fluent;
using Verify.Checker.Random;
using Verify.Model;
using Verify.Properties;
using Verify.Tests.Explore;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.Random;

/// <summary>The shrinker keeps the failure, ends 1-minimal, is deterministic, and removes irrelevant steps wherever they are.</summary>
public sealed class ShrinkerTests
{
    private static Configuration Wide(string semantics) => X.Config(semantics, [SlotKind.Any, SlotKind.Any],
        [X.Single, X.Alias, DefaultCatalogue.MultiPhase]);

    /// <summary>
    /// D2 (cpython-semantics.md 3.1): main imports X, a legacy subinterpreter loads the same def under another name,
    /// and its fix-up decrefs main's m_copy: three steps, in 3.10-3.12.
    /// </summary>
    private static Action[] D2(Configuration c) =>
        [new Import(0, R.M(c, X.Single)), new NewInterp(1, InterpKind.Legacy), new Import(1, R.M(c, X.Alias))];

    [Fact]
    public void A_violation_behind_200_irrelevant_steps_shrinks_to_the_three_steps_of_D2()
    {
        var c = Wide("cpython-3.12");
        var multi = R.M(c, DefaultCatalogue.MultiPhase);
        // Multi-phase imports and deletions in main touch no single-phase def: 200 steps of noise, then D2 with
        // more noise between its steps.
        var noise = Enumerable.Range(0, 100).SelectMany(_ => new Action[] { new Import(0, multi), new DelSysModules(0, multi) }).ToList();
        var d2 = D2(c);
        var planted = noise.Concat([d2[0], new Import(0, multi), d2[1], new DelSysModules(0, multi), new Import(0, multi), d2[2]]).ToList();
        var p = R.P("no-cross-interpreter-decref");
        Assert.Null(TraceJudge.FirstFinding(c, p, planted.Take(203))); // the noise alone shows nothing
        R.StrictReplay(c, planted);

        var result = new Shrinker(c, p).Shrink(planted);

        Assert.Equal(206, result.OriginalLength);
        Assert.Equal(d2, result.Trace.Steps);
        Assert.Contains("decrefs", result.Trace.Finding.Message);
    }

    [Fact]
    public void Subinterpreters_move_to_lower_slots_and_simpler_modes_where_the_failure_stays()
    {
        var c = Wide("cpython-3.12");
        var x = R.M(c, X.Single);
        var alias = R.M(c, X.Alias);
        // D2 in slot 2, created isolated with the override: the decref happens in any mode (legacy is simplest), so
        // the shrunk trace is D2 itself.
        Action[] inSlot2 = [new Import(0, x), new NewInterp(2, InterpKind.IsolatedOverride), new Import(2, alias)];
        Assert.Equal(D2(c), R.Shrink(c, R.P("no-cross-interpreter-decref"), inSlot2).Steps);
        // The foreign free needs the subinterpreter's own obmalloc (O20: abort in 3.12.1 with the override); legacy
        // shares main's allocator and plain isolated refuses the import (O17/O18), so the mode must stay.
        Assert.Equal([new Import(0, x), new NewInterp(1, InterpKind.IsolatedOverride), new Import(1, alias)],
            R.Shrink(c, R.P("no-foreign-free"), inSlot2).Steps);
    }

    [Fact]
    public void A_step_moves_to_main_when_the_subinterpreter_it_ran_in_is_not_needed()
    {
        var c = Wide("cpython-3.12");
        var x = R.M(c, X.Single);
        // D4 (3.1): main imports X and a subinterpreter clears the extension: two steps plus the creation. A run
        // that clears it from a second subinterpreter shrinks to the one that needs no other.
        Action[] viaSub2 = [new NewInterp(2, InterpKind.Isolated), new NewInterp(1, InterpKind.Legacy), new Import(1, x), new ClearExtension(2, x)];
        var shrunk = R.Shrink(c, R.P("no-cross-interpreter-decref"), viaSub2);
        Assert.Equal(3, shrunk.Length);
        R.StrictReplay(c, shrunk.Steps);
    }

    [Fact]
    public void Modules_become_earlier_catalogue_modules_where_the_failure_stays()
    {
        var c = Wide("cpython-3.12");
        var alias = R.M(c, X.Alias);
        Assert.True(R.M(c, X.Single) < alias);
        // S1 (3.2) with the alias in both interpreters: the shallow copy happens for the plain name as well.
        Action[] s1 = [new Import(0, alias), new NewInterp(1, InterpKind.Legacy), new Import(1, alias)];
        var shrunk = R.Shrink(c, R.P("importer-owns-module-dict"), s1);
        Assert.All(shrunk.Steps.OfType<ModuleAction>(), m => Assert.Equal(R.M(c, X.Single), m.Module));
    }

    [Fact]
    public void A_trace_without_the_finding_is_refused()
    {
        var c = Wide("cpython-3.13");
        var e = Assert.Throws<ArgumentException>(() => new Shrinker(c, R.P("no-dead-owner")).Shrink([new Import(0, R.M(c, X.Single))]));
        Assert.Contains("does not show no-dead-owner", e.Message);
    }

    public static TheoryData<string> Semantics => new() { "cpython-3.11", "cpython-3.12", "cpython-3.13" };

    /// <summary>
    /// For random runs that show a property's finding: the shrunk trace is valid as written, shows the finding at
    /// its last step and nowhere before, is no longer than the run, is 1-minimal, and comes out the same twice.
    /// </summary>
    [Theory, MemberData(nameof(Semantics))]
    public void Shrinking_never_loses_the_failure_and_ends_one_minimal(string semantics)
    {
        var c = Wide(semantics);
        var runs = Arb.From(TraceGenerator.Runs(c, ActionWeights.Default, 30, swarm: true));
        var checkedAny = 0;
        PropertyCheck.Run(Prop.ForAll(runs, run =>
        {
            foreach (var p in IsolationProperties.All.Where(p => p.Kind == PropertyKind.Always))
            {
                if (TraceJudge.FirstFinding(c, p, run.Actions) is not { } original) continue;
                checkedAny++;
                var result = new Shrinker(c, p).Shrink(run.Actions);
                var cx = result.Trace;
                var ts = R.StrictReplay(c, cx.Steps);
                Assert.True(cx.Length <= original.Length);
                Assert.NotNull(p.Check(cx.Length == 0 ? Step.Initial(c.Initial(), c.Catalogue) : Step.Of(cx.Length == 1 ? c.Initial() : ts[^2].State, ts[^1], c.Catalogue)));
                Assert.Equal(cx.Length, TraceJudge.FirstFinding(c, p, cx.Steps)!.Length); // not earlier
                for (var k = 0; k < cx.Length; k++)
                    Assert.False(R.Shows(c, p, cx.Steps.Where((_, i) => i != k)),
                        $"{p.Name}: removing step {k + 1} of [{R.Text(c, cx.Steps)}] keeps the finding: not 1-minimal");
                var again = new Shrinker(c, p).Shrink(run.Actions);
                Assert.Equal(cx.Steps, again.Trace.Steps);
                Assert.Equal(result.Replays, again.Replays);
            }
        }), runs: 40);
        Assert.True(checkedAny > 0, "no run showed any finding: the property checked nothing");
    }
}
