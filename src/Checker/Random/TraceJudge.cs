using Verify.Checker.Explore;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Random;

/// <summary>Judging whole traces, as random runs and the shrinker need it.</summary>
public static class TraceJudge
{
    /// <summary>
    /// Replays <paramref name="steps"/> leniently and returns the trace up to the first step where
    /// <paramref name="property"/> shows its finding, or null if it never does. A step whose precondition does
    /// not hold where it comes is dropped (the shrinker's candidates remove steps that later ones needed), so the
    /// returned trace is always valid; steps after a crash or finalize are dropped the same way.
    /// </summary>
    public static Counterexample? FirstFinding(Configuration config, Property property, IEnumerable<Model.Action> steps)
    {
        var s = config.Initial();
        if (property.Check(Step.Initial(s, config.Catalogue)) is { } atStart) return new Counterexample([], [], atStart);
        var kept = new List<Model.Action>();
        var transitions = new List<Transition>();
        foreach (var a in steps)
        {
            if (!s.IsRunning || !config.IsEnabled(s, a)) continue;
            var t = config.Step(s, a);
            kept.Add(a);
            transitions.Add(t);
            if (property.Check(Step.Of(s, t, config.Catalogue)) is { } finding) return new Counterexample(kept, transitions, finding);
            s = t.State;
        }
        return null;
    }

    /// <summary>
    /// For each property, the index of the first step of <paramref name="run"/> where it shows its finding (-1 for the
    /// initial state), or null. Uses the run's own transitions: nothing is stepped again.
    /// </summary>
    public static int?[] FirstFindings(Configuration config, RandomRun run, IReadOnlyList<Property> properties)
    {
        var found = new int?[properties.Count];
        var remaining = 0;
        var s = config.Initial();
        for (var p = 0; p < properties.Count; p++)
        {
            if (properties[p].Check(Step.Initial(s, config.Catalogue)) is not null) found[p] = -1;
            else remaining++;
        }
        for (var k = 0; k < run.Transitions.Count && remaining > 0; k++)
        {
            var t = run.Transitions[k];
            var step = Step.Of(s, t, config.Catalogue);
            for (var p = 0; p < properties.Count; p++)
            {
                if (found[p] is not null) continue;
                if (properties[p].Check(step) is null) continue;
                found[p] = k;
                remaining--;
            }
            s = t.State;
        }
        return found;
    }
}
