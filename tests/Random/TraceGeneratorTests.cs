using FsCheck;
using FsCheck.Fluent;
using Verify.Checker.Random;
using Verify.Model;
using Verify.Tests.Explore;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.Random;

/// <summary>Random runs are valid traces, follow the weights and swarm choice, and depend only on the seed.</summary>
public sealed class TraceGeneratorTests
{
    public static TheoryData<string> Semantics => new() { "cpython-3.11", "cpython-3.12", "cpython-3.13" };

    private static Configuration AnySlots(string semantics) => X.Config(semantics, [SlotKind.Any, SlotKind.Any],
        [X.Single, X.Alias, DefaultCatalogue.BasicCopy, DefaultCatalogue.MultiPhase, DefaultCatalogue.Builtin]);

    [Theory, MemberData(nameof(Semantics))]
    public void Every_run_is_valid_step_by_step(string semantics)
    {
        var c = AnySlots(semantics);
        var runs = Arb.From(TraceGenerator.Runs(c, ActionWeights.Default, 40, swarm: true));
        PropertyCheck.Run(Prop.ForAll(runs, run =>
        {
            var replayed = R.StrictReplay(c, run.Actions);
            // The run's own transitions are the model's: replaying gives the same states.
            for (var k = 0; k < replayed.Count; k++) Assert.Equal(replayed[k].State, run.Transitions[k].State);
            Assert.True(run.Length <= 40);
            if (run.End == RunEnd.Length) Assert.Equal(40, run.Length);
            else Assert.DoesNotContain(c.Actions(replayed.Count == 0 ? c.Initial() : replayed[^1].State), a => !run.Plan.Disabled.Contains(a.Op));
        }), runs: 100);
    }

    [Fact]
    public void A_kind_of_weight_zero_never_comes_and_swarm_leaves_its_kinds_out()
    {
        var c = AnySlots("cpython-3.12");
        var weights = ActionWeights.Default.With([new("del_sys_modules", 0), new("finalize", 0)]);
        var runs = Arb.From(TraceGenerator.Runs(c, weights, 30, swarm: true));
        PropertyCheck.Run(Prop.ForAll(runs, run =>
        {
            Assert.DoesNotContain(run.Actions, a => a.Op is "del_sys_modules" or "finalize");
            Assert.DoesNotContain(run.Actions, a => run.Plan.Disabled.Contains(a.Op));
            // Swarm never leaves out every kind the weights allow.
            Assert.True(run.Plan.Disabled.Count < TraceGenerator.Kinds(c).Count(op => weights.Of(op) > 0));
        }), runs: 200);
    }

    [Fact]
    public void Swarm_varies_the_kinds_left_out_and_without_swarm_none_is()
    {
        var c = AnySlots("cpython-3.12");
        var swarm = TraceGenerator.Plans(c, ActionWeights.Default, 10, swarm: true);
        var plain = TraceGenerator.Plans(c, ActionWeights.Default, 10, swarm: false);
        var disabled = Enumerable.Range(0, 200).Select(k => TraceGenerator.Draw(swarm, RandomSearch.RunSeed(7, k), 10).Disabled).ToList();
        // Each kind is left out with probability 1/2: over 200 plans every kind is left out sometimes and kept sometimes.
        foreach (var op in TraceGenerator.Kinds(c))
        {
            var off = disabled.Count(d => d.Contains(op));
            Assert.InRange(off, 50, 150);
        }
        Assert.All(Enumerable.Range(0, 50), k => Assert.Empty(TraceGenerator.Draw(plain, RandomSearch.RunSeed(7, k), 10).Disabled));
    }

    [Fact]
    public void The_same_seed_draws_the_same_run_and_other_seeds_other_runs()
    {
        var c = AnySlots("cpython-3.13");
        var plans = TraceGenerator.Plans(c, ActionWeights.Default, 40, swarm: true);
        RandomRun Draw(ulong seed) => TraceGenerator.Play(c, ActionWeights.Default, TraceGenerator.Draw(plans, seed, 40));
        Assert.Equal(Draw(12345).Actions, Draw(12345).Actions);
        var distinct = Enumerable.Range(0, 20).Select(k => string.Join(",", Draw(RandomSearch.RunSeed(12345, k)).Actions)).Distinct().Count();
        Assert.True(distinct >= 18, $"only {distinct} different runs among 20 seeds");
    }

    [Fact]
    public void Run_seeds_start_at_the_seed_and_spread()
    {
        Assert.Equal(99UL, RandomSearch.RunSeed(99, 0));
        var seeds = Enumerable.Range(0, 1000).Select(k => RandomSearch.RunSeed(99, k)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
    }

    [Fact]
    public void The_step_number_picks_the_kind_by_weight_then_the_action_by_position()
    {
        // Hand-derived: kinds A (weight 1, two actions) and B (weight 3, one action) share [0, 4): A owns [0, 1),
        // split [0, 0.5) first action, [0.5, 1) second; B owns [1, 4). An empty kind owns nothing.
        Action a0 = new Import(0, 0), a1 = new Import(0, 1), b0 = new Finalization();
        List<Action>[] byKind = [[a0, a1], [], [b0]];
        double[] weights = [1, 5, 3];
        Assert.Same(a0, TraceGenerator.Pick(byKind, weights, 0.0));
        Assert.Same(a0, TraceGenerator.Pick(byKind, weights, 0.49));
        Assert.Same(a1, TraceGenerator.Pick(byKind, weights, 0.5));
        Assert.Same(a1, TraceGenerator.Pick(byKind, weights, 0.99));
        Assert.Same(b0, TraceGenerator.Pick(byKind, weights, 1.0));
        Assert.Same(b0, TraceGenerator.Pick(byKind, weights, 3.999));
        Assert.Same(b0, TraceGenerator.Pick(byKind, weights, 4.0)); // rounding at the very end stays in the last share
    }
}
