using Xunit;
using Verify.Model;
using Verify.Properties;
using Action = Verify.Model.Action;

namespace Verify.Tests.Properties;

/// <summary>
/// Where a property first found what it looks for along a trace. <see cref="StepIndex"/> counts actions:
/// 0 is the initial state (judged as <see cref="Step.Initial"/>), k is the state after the k-th action (judged as
/// <see cref="Step.Of"/> with that action's transition), so a "1-step trace" is found at step 1.
/// </summary>
public sealed record Hit(int StepIndex, Finding Finding, Step Judged)
{
    /// <summary>The event the finding points at (event properties only).</summary>
    public Event Event
    {
        get
        {
            Assert.InRange(Finding.EventIndex, 0, Judged.Events.Count - 1);
            return Judged.Events[Finding.EventIndex];
        }
    }

    public RefEvent RefEvent => Assert.IsType<RefEvent>(Event);

    public override string ToString() => $"step {StepIndex}: {Finding.Message}";
}

/// <summary>
/// Runs a trace through <see cref="Configuration.Step"/> and applies a property to every step, as an explorer would:
/// the initial state first, then each transition. Every action must be enabled where it is taken (the traces are
/// programs CPython can run); the run stops at a crash, since a crashed process takes no further step.
/// </summary>
public static class PropertyRunner
{
    /// <summary>The first step at which <paramref name="p"/> finds something, or null if it finds nothing along the trace.</summary>
    public static Hit? First(Property p, string version, params Action[] actions) => First(p, Scenarios.S.Config(version), actions);

    public static Hit? First(Property p, Configuration cfg, IEnumerable<Action> actions) =>
        Judge(p, cfg, actions).FirstOrDefault(h => h is not null);

    /// <summary>The verdict of <paramref name="p"/> at every step (null where it finds nothing), initial state first.</summary>
    public static IReadOnlyList<Hit?> Verdicts(Property p, string version, params Action[] actions) =>
        Judge(p, Scenarios.S.Config(version), actions).ToList();

    /// <summary>
    /// As <see cref="Verdicts(Property, string, Action[])"/>, but a crash ends the trace quietly (the remaining actions are
    /// not taken) instead of failing: for traces run whatever their outcome.
    /// </summary>
    public static IReadOnlyList<Hit?> VerdictsUntilCrash(Property p, Configuration cfg, IEnumerable<Action> actions) =>
        Judge(p, cfg, actions, untilCrash: true).ToList();

    private static IEnumerable<Hit?> Judge(Property p, Configuration cfg, IEnumerable<Action> actions, bool untilCrash = false)
    {
        var cat = cfg.Catalogue;
        var s = cfg.Initial();
        var initial = Step.Initial(s, cat);
        yield return CheckAt(p, 0, initial);
        var k = 0;
        foreach (var a in actions)
        {
            k++;
            if (untilCrash && s.Phase == ProcessPhase.Crashed) yield break;
            Assert.True(s.IsRunning, $"action {k} ({ActionText.Describe(a, cat)}) follows a step that ended the process");
            var why = cfg.WhyDisabled(s, a);
            Assert.True(why is null, $"action {k} ({ActionText.Describe(a, cat)}) is not enabled: {why}");
            var t = cfg.Step(s, a);
            yield return CheckAt(p, k, Step.Of(s, t, cat));
            s = t.State;
        }
    }

    private static Hit? CheckAt(Property p, int k, Step step) => p.Check(step) is { } f ? new Hit(k, f, step) : null;

    /// <summary>Asserts that <paramref name="p"/> first finds something at <paramref name="step"/>, and returns that hit.</summary>
    public static Hit AssertFirstAt(Property p, int step, string version, params Action[] actions)
    {
        var hit = First(p, version, actions);
        Assert.True(hit is not null, $"{p.Name} finds nothing along the trace; expected a finding at step {step}");
        Assert.True(hit.StepIndex == step, $"{p.Name} first finds at {hit}; expected step {step}");
        return hit;
    }

    /// <summary>Asserts that <paramref name="p"/> finds nothing at any step of the trace.</summary>
    public static void AssertHolds(Property p, string version, params Action[] actions)
    {
        var hit = First(p, version, actions);
        Assert.True(hit is null, $"{p.Name} should find nothing, but finds at {hit}");
    }

    /// <summary>Asserts a reference event of the expected kind, acting interpreter and object owner.</summary>
    public static RefEvent AssertRefEvent(Hit hit, RefOp op, int actor, int owner, ObjKind? kind = null)
    {
        var e = hit.RefEvent;
        Assert.Equal(op, e.Op);
        Assert.Equal(actor, e.Actor);
        Assert.Equal(owner, e.Object.Owner);
        if (kind is { } k) Assert.Equal(k, e.Object.Kind);
        return e;
    }
}
