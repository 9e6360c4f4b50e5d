namespace Verify.Model;

/// <summary>
/// A checkable model: one semantics over one catalogue with a number of subinterpreter slots.
/// The explorers see only this: the initial state, the enabled actions of a state, and the next step.
/// </summary>
public sealed class Configuration(Semantics semantics, Catalogue catalogue, int slots)
{
    public Semantics Semantics { get; } = semantics;
    public Catalogue Catalogue { get; } = catalogue;
    public int Slots { get; } = slots;

    public State Initial() => Semantics.Initial(Catalogue, Slots);
    public IEnumerable<Action> Actions(State s) => Semantics.EnabledActions(s, Catalogue);
    public string? WhyDisabled(State s, Action a) => Semantics.WhyDisabled(s, a, Catalogue);
    public Transition Step(State s, Action a) => Semantics.Apply(s, a, Catalogue);

    /// <summary>What the process does when it exits after <paramref name="s"/>: <c>Py_Finalize</c> runs (implicitly) unless it already ran.</summary>
    public Outcome Exit(State s) => s.Phase switch
    {
        ProcessPhase.Running => Step(s, new Finalization()).Outcome,
        ProcessPhase.Crashed => Outcome.NotRun,
        _ => Outcome.Ok,
    };

    /// <summary>Runs a whole trace; steps after a crash are reported as not run and change nothing.</summary>
    public IReadOnlyList<Transition> Run(IEnumerable<Action> steps)
    {
        var s = Initial();
        var result = new List<Transition>();
        foreach (var a in steps)
        {
            if (s.Phase == ProcessPhase.Crashed) { result.Add(new Transition(a, s, [], Outcome.NotRun)); continue; }
            var t = Step(s, a);
            result.Add(t);
            s = t.State;
        }
        return result;
    }
}
