using Verify.Model;

namespace Verify.Properties;

public enum PropertyKind
{
    /// <summary>must hold after every transition (and in the initial state); one finding is a violation</summary>
    Always,
    /// <summary>non-vacuity: some reachable transition must show it; a complete search without a finding fails it</summary>
    Sometimes,
}

/// <summary>What a property looks at: only the state a transition reached, or also the transition's events.</summary>
public enum PropertyScope
{
    /// <summary>a function of the state alone: an explorer may judge each distinct state once</summary>
    State,
    /// <summary>depends on the events: every transition is judged, even into a state seen before</summary>
    Transition,
}

/// <summary>
/// A named predicate over one step of the model. <see cref="Statement"/> says in one line what it forbids
/// (always) or what it asks to be seen (sometimes). The check is pure: it returns a <see cref="Finding"/>
/// where the step shows what the property looks for, and null elsewhere.
/// </summary>
public sealed class Property(string name, PropertyKind kind, PropertyScope scope, string statement, Func<Step, Finding?> check)
{
    public string Name { get; } = name;
    public PropertyKind Kind { get; } = kind;
    public PropertyScope Scope { get; } = scope;
    public string Statement { get; } = statement;

    public Finding? Check(Step step) => check(step);

    public override string ToString() => Name;
}

/// <summary>Where a step shows what a property looks for: a message and, for event-based findings, the event's index.</summary>
public sealed record Finding(string Message, int EventIndex = -1);

/// <summary>
/// The step a property judges: the state it reached, the action and the events on the way. The initial state
/// is judged as a step with no action, no previous state and no events.
/// </summary>
public sealed record Step(State? Before, Model.Action? Action, State After, IReadOnlyList<Event> Events, Catalogue Catalogue)
{
    public static Step Initial(State s, Catalogue cat) => new(null, null, s, [], cat);
    public static Step Of(State before, Transition t, Catalogue cat) => new(before, t.Action, t.State, t.Events, cat);
}
