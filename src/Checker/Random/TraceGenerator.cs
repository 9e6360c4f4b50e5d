using FsCheck;
using FsCheck.Fluent;
using Verify.Model;

namespace Verify.Checker.Random;

/// <summary>
/// FsCheck generators of valid traces. A generator draws a <see cref="RunPlan"/> (the swarm choice and one number
/// per step) and <see cref="Play"/> walks the model with it: at each step it looks at the actions enabled in the
/// current state, picks a kind by weight and then an action of that kind, and steps. Every trace is therefore valid
/// by construction, and each step depends on what the earlier ones did. Drawing the numbers first and interpreting
/// them afterwards (rather than binding one generator per step) keeps generation flat: a run of thousands of steps
/// costs no deeper recursion than a run of one.
/// </summary>
public static class TraceGenerator
{
    /// <summary>The exclusive upper bound of a plan's step numbers.</summary>
    private const double ChoiceRange = 2147483648.0; // 2^31

    /// <summary>The op kinds a configuration can take, in trace-format order.</summary>
    public static IReadOnlyList<string> Kinds(Configuration config) =>
        [.. Configuration.AllOperations.Where(op => config.Alphabet.Any(a => a.Op == op))];

    /// <summary>
    /// Plans of exactly <paramref name="length"/> step numbers. With <paramref name="swarm"/>, each kind is left out
    /// with probability 1/2, independently (swarm testing: a run without, say, <c>del_sys_modules</c> cannot undo
    /// its imports, so it reaches states a mix of everything rarely does); a draw that would leave out every kind
    /// of positive weight keeps them all.
    /// </summary>
    public static Gen<RunPlan> Plans(Configuration config, ActionWeights weights, int length, bool swarm)
    {
        var kinds = Kinds(config).Where(op => weights.Of(op) > 0).ToArray();
        var numbers = Gen.ArrayOf(Gen.Choose(0, int.MaxValue), length);
        if (!swarm) return numbers.Select(n => new RunPlan([], n));
        var leaveOut = Gen.ArrayOf(Gen.Elements(false, true), kinds.Length);
        return leaveOut.SelectMany(off => numbers, (off, n) =>
        {
            var disabled = kinds.Where((_, k) => off[k]).ToArray();
            return new RunPlan(disabled.Length == kinds.Length ? [] : disabled, n);
        });
    }

    /// <summary>Random runs: plans played on the model.</summary>
    public static Gen<RandomRun> Runs(Configuration config, ActionWeights weights, int length, bool swarm) =>
        Plans(config, weights, length, swarm).Select(p => Play(config, weights, p));

    /// <summary>The plan FsCheck draws from <paramref name="seed"/> (with SplitMix's fixed gamma): the same on every machine.</summary>
    public static RunPlan Draw(Gen<RunPlan> plans, ulong seed, int length) =>
        plans.Sample(Math.Max(length, 1), new Rnd(seed, SeedGamma), 1)[0];

    /// <summary>SplitMix's golden gamma (odd, as FsCheck's generator requires).</summary>
    public const ulong SeedGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// Walks the model with a plan. Step <c>k</c>'s number <c>u</c> gives <c>r = u / 2^31</c> in [0, 1); the kinds
    /// with an enabled action (and a positive weight, not left out) share [0, 1) in proportion to their weights, in
    /// trace-format order; <c>r</c> falls in one kind's share, and where it falls inside that share picks the action
    /// among the kind's enabled ones (in alphabet order).
    /// </summary>
    public static RandomRun Play(Configuration config, ActionWeights weights, RunPlan plan)
    {
        var kinds = Kinds(config).Where(op => weights.Of(op) > 0 && !plan.Disabled.Contains(op)).ToArray();
        var weightOf = kinds.Select(weights.Of).ToArray();
        var byKind = kinds.Select(_ => new List<Model.Action>()).ToArray();
        var kindIndex = kinds.Select((op, k) => (op, k)).ToDictionary(x => x.op, x => x.k);

        var s = config.Initial();
        var actions = new List<Model.Action>(plan.Choices.Length);
        var transitions = new List<Transition>(plan.Choices.Length);
        foreach (var u in plan.Choices)
        {
            foreach (var list in byKind) list.Clear();
            foreach (var a in config.Actions(s))
                if (kindIndex.TryGetValue(a.Op, out var k)) byKind[k].Add(a);

            var total = 0.0;
            for (var k = 0; k < kinds.Length; k++)
                if (byKind[k].Count > 0) total += weightOf[k];
            if (total == 0) return new RandomRun(plan, actions, transitions, RunEnd.NothingEnabled);

            var x = u / ChoiceRange * total;
            var pick = Pick(byKind, weightOf, x);
            var t = config.Step(s, pick);
            actions.Add(pick);
            transitions.Add(t);
            s = t.State;
        }
        return new RandomRun(plan, actions, transitions, RunEnd.Length);
    }

    /// <summary>The action at position <paramref name="x"/> of [0, total): first the kind's share, then the place inside it.</summary>
    internal static Model.Action Pick(List<Model.Action>[] byKind, double[] weightOf, double x)
    {
        var last = -1;
        for (var k = 0; k < byKind.Length; k++)
        {
            if (byKind[k].Count == 0) continue;
            last = k;
            if (x < weightOf[k])
            {
                var i = (int)(x / weightOf[k] * byKind[k].Count);
                return byKind[k][Math.Min(i, byKind[k].Count - 1)];
            }
            x -= weightOf[k];
        }
        // Rounding can leave x a hair above the last share: it belongs to that share's end.
        return byKind[last][^1];
    }
}
