using System.Text;
using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// A sequence of actions from a configuration's initial state. Generated traces are valid (every action is
/// enabled where it is taken); the trace is what FsCheck prints and shrinks, so its text is the
/// human reading of each step.
/// </summary>
public sealed class Trace(Configuration config, IReadOnlyList<Action> steps)
{
    public Configuration Config { get; } = config;
    public IReadOnlyList<Action> Steps { get; } = steps;

    /// <summary>
    /// Whether every step is enabled in the state the steps before it reach. A step on which the model
    /// throws can only be the last one (what follows it cannot be checked); generated traces end there.
    /// </summary>
    public bool IsValid()
    {
        var s = Config.Initial();
        for (var k = 0; k < Steps.Count; k++)
        {
            if (Config.WhyDisabled(s, Steps[k]) is not null) return false;
            try { s = Config.Step(s, Steps[k]).State; }
            catch (Exception) { return k == Steps.Count - 1; }
        }
        return true;
    }

    /// <summary>Runs the trace afresh: the initial state, then one transition per step.</summary>
    public (State Initial, IReadOnlyList<Transition> Transitions) Replay()
    {
        var initial = Config.Initial();
        var transitions = new List<Transition>(Steps.Count);
        var s = initial;
        foreach (var a in Steps)
        {
            var t = Config.Step(s, a);
            transitions.Add(t);
            s = t.State;
        }
        return (initial, transitions);
    }

    /// <summary>The states along the trace: index 0 is the initial state, index k the state after step k.</summary>
    public IReadOnlyList<State> States()
    {
        var (initial, transitions) = Replay();
        return [initial, .. transitions.Select(t => t.State)];
    }

    public Trace Prefix(int length) => new(Config, Steps.Take(length).ToArray());

    public Trace Without(int index) => new(Config, Steps.Where((_, k) => k != index).ToArray());

    /// <summary>The steps, numbered from 1 (state k is the state after step k), one per line.</summary>
    public string Describe()
    {
        var sb = new StringBuilder($"{Config.Semantics.Name}, {Config.Slots} slots, {Steps.Count} steps:");
        if (Steps.Count == 0) sb.Append(" (none)");
        for (var k = 0; k < Steps.Count; k++)
            sb.Append($"\n  {k + 1,2}. {ActionText.Describe(Steps[k], Config.Catalogue)}");
        return sb.ToString();
    }

    public override string ToString() => Describe();

    /// <summary>A property failure that names the state it was seen in and carries the whole trace.</summary>
    public Exception Violation(int state, string what) =>
        new TraceViolation($"{what}\n  in state {state} (after step {state}; 0 is the initial state) of the trace\n{Describe()}");
}

/// <summary>A model property failed along a trace; the message holds the trace.</summary>
public sealed class TraceViolation(string message) : Exception(message);
