using Verify.Checker.Traces;
using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Checker.Replay;

/// <summary>
/// Runs a bound trace on a configuration step by step, like <see cref="Configuration.Run"/>, but checks each
/// step's precondition first: a step that is not enabled is a bad trace, reported with its reason. Steps
/// after a crash are not run and not checked (the process is gone; the trace is still well-formed).
/// </summary>
internal static class Replayer
{
    public static ReplayResult Run(Trace trace, IReadOnlyList<Action> actions, Configuration config)
    {
        var cat = config.Catalogue;
        var s = config.Initial();
        var steps = new List<ReplayedStep>();
        for (var k = 0; k < actions.Count; k++)
        {
            var a = actions[k];
            Transition t;
            if (s.Phase == ProcessPhase.Crashed)
            {
                t = new Transition(a, s, [], Outcome.NotRun);
            }
            else
            {
                if (config.WhyDisabled(s, a) is { } why)
                    throw new InputException($"{TraceBinder.Where(trace.Steps[k], k + 1, trace.Source)} ({ActionText.Describe(a, cat)}) " +
                        $"cannot run under {config.Semantics.Name}: {why}");
                t = config.Step(s, a);
            }
            steps.Add(new ReplayedStep(k + 1, trace.Steps[k], t, Observer.Observe(t.State, t.Outcome, cat)));
            s = t.State;
        }
        // The exit is what Configuration.Exit predicts; the implicit finalization is stepped here only to show its events.
        var exit = config.Exit(s);
        IReadOnlyList<Event> exitEvents = s.Phase == ProcessPhase.Running ? config.Step(s, new Finalization()).Events : [];
        return new ReplayResult(trace, config, steps, s, exit, exitEvents);
    }
}
