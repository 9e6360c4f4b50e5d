namespace Verify.Model;

/// <summary>
/// A checkable model: one semantics over one catalogue with a number of subinterpreter slots, each of a
/// kind that bounds the modes it can be created in. The explorers see only this: the initial state, the
/// enabled actions of a state, and the next step.
/// </summary>
public sealed class Configuration
{
    public Semantics Semantics { get; }
    public Catalogue Catalogue { get; }
    /// <summary>Slot <c>k</c> (1-based) has kind <c>SlotKinds[k - 1]</c>.</summary>
    public IReadOnlyList<SlotKind> SlotKinds { get; }
    public int Slots => SlotKinds.Count;

    /// <summary>The finite action alphabet: every action some state of this configuration could enable, in a fixed order.</summary>
    public IReadOnlyList<Action> Alphabet { get; }

    /// <summary><paramref name="slots"/> slots of any mode.</summary>
    public Configuration(Semantics semantics, Catalogue catalogue, int slots)
        : this(semantics, catalogue, Enumerable.Repeat(SlotKind.Any, slots).ToList()) { }

    /// <param name="operations">the trace-format ops a search may use (null: all); a bound like the slots</param>
    public Configuration(Semantics semantics, Catalogue catalogue, IReadOnlyList<SlotKind> slotKinds, IReadOnlySet<string>? operations = null)
    {
        Semantics = semantics;
        Catalogue = catalogue;
        SlotKinds = slotKinds;
        Operations = operations;
        Alphabet = Semantics.AllActions(Slots, Catalogue)
            .Where(a => SlotRefusal(a) is null && (operations is null || operations.Contains(a.Op))).ToArray();
    }

    /// <summary>The ops the alphabet is limited to, or null for every op. Traces may still use any op.</summary>
    public IReadOnlySet<string>? Operations { get; }

    /// <summary>Every op name of the trace format, in alphabet order.</summary>
    public static IReadOnlyList<string> AllOperations { get; } =
        ["new_interp", "end_interp", "import", "del_sys_modules", "reload", "reload_spec", "clear_extension", "set_attr", "finalize"];

    public State Initial() => Semantics.Initial(Catalogue, Slots);

    /// <summary>Every enabled action, in alphabet order.</summary>
    public IEnumerable<Action> Actions(State s)
    {
        if (!s.IsRunning) yield break;
        foreach (var a in Alphabet)
            if (Semantics.IsEnabled(s, a, Catalogue)) yield return a; // alphabet actions already fit their slots
    }

    /// <summary><see cref="WhyDisabled"/> is null, without building a message.</summary>
    public bool IsEnabled(State s, Action a) => SlotRefusal(a) is null && Semantics.IsEnabled(s, a, Catalogue);

    public string? WhyDisabled(State s, Action a) => SlotRefusal(a) ?? Semantics.WhyDisabled(s, a, Catalogue);

    public Transition Step(State s, Action a) => Semantics.Apply(s, a, Catalogue);

    private string? SlotRefusal(Action a) =>
        a is NewInterp n && n.I >= 1 && n.I <= Slots && !SlotKinds[n.I - 1].Allows(n.Mode)
            ? $"slot {n.I} is a {SlotKinds[n.I - 1].Text} slot in this configuration; it cannot be created {ActionText.Mode(n.Mode)}"
            : null;

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
