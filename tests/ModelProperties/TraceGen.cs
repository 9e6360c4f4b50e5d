using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// Random valid traces, built step by step from the state: at each step one of the actions enabled in the
/// current state is chosen uniformly, until the length bound (FsCheck's size, capped) or until no action is
/// enabled (after finalize or a crash). Generating from the state, instead of filtering random action lists,
/// keeps every generated trace meaningful and lets each step depend on what the previous ones did.
/// </summary>
public static class TraceGen
{
    public const int MaxSteps = 30;

    public static Gen<Trace> Valid(Configuration cfg, int maxSteps = MaxSteps) =>
        Gen.Sized(size => Extend(cfg, cfg.Initial(), [], Math.Min(size, maxSteps)));

    /// <summary>Continues a trace whose steps <paramref name="prefix"/> reached <paramref name="s"/> by up to <paramref name="remaining"/> steps.</summary>
    private static Gen<Trace> Extend(Configuration cfg, State s, ImmutableList<Action> prefix, int remaining)
    {
        var enabled = remaining > 0 ? cfg.Actions(s).ToArray() : [];
        if (enabled.Length == 0) return Gen.Constant(new Trace(cfg, prefix));
        return Gen.Choose(0, enabled.Length - 1).SelectMany(k =>
            TryStep(cfg, s, enabled[k]) is { } next
                ? Extend(cfg, next, prefix.Add(enabled[k]), remaining - 1)
                // The model threw (e.g. a ModelInvariantException): end the trace on that step, so that the
                // property, replaying it, fails with FsCheck's report and shrinking instead of the generator
                // aborting the whole run without a counterexample.
                : Gen.Constant(new Trace(cfg, prefix.Add(enabled[k]))));
    }

    private static State? TryStep(Configuration cfg, State s, Action a)
    {
        try { return cfg.Step(s, a).State; }
        catch (Exception) { return null; }
    }

    public static Arbitrary<Trace> Arbitrary(Configuration cfg) => Arb.From(Valid(cfg), Shrink);

    /// <summary>
    /// Two traces that share a random prefix and then go their own ways, so that equal states reached by
    /// different step sequences are common (both branches often undo or repeat what the other did).
    /// </summary>
    public static Arbitrary<(Trace, Trace)> Forking(Configuration cfg)
    {
        var gen = Valid(cfg, MaxSteps / 2).SelectMany(prefix =>
        {
            var from = prefix.States()[^1];
            var branch = Gen.Sized(size => Extend(cfg, from, [.. prefix.Steps], Math.Min(size, MaxSteps / 2)));
            return branch.SelectMany(a => branch.Select(b => (a, b)));
        });
        return Arb.From(gen, ShrinkPair);
    }

    /// <summary>
    /// Shorter valid traces: every proper prefix, shortest first (so the first failing one is the shortest
    /// failing prefix), then the trace without one step wherever the rest stays valid.
    /// </summary>
    public static IEnumerable<Trace> Shrink(Trace t)
    {
        for (var n = 0; n < t.Steps.Count; n++) yield return t.Prefix(n);
        for (var k = 0; k < t.Steps.Count - 1; k++)
        {
            var shorter = t.Without(k);
            if (shorter.IsValid()) yield return shorter;
        }
    }

    private static IEnumerable<(Trace, Trace)> ShrinkPair((Trace A, Trace B) p) =>
        Shrink(p.A).Select(a => (a, p.B)).Concat(Shrink(p.B).Select(b => (p.A, b)));
}
