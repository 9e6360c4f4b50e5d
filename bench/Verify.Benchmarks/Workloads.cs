using Verify.Model;

namespace Verify.Benchmarks;

/// <summary>The configurations and fixed sets of states the benchmarks run on.</summary>
public static class Workloads
{
    /// <summary>The semantics every benchmark is parameterised over (<c>verify list</c>).</summary>
    public static IEnumerable<string> SemanticsNames => SemanticsRegistry.All.Select(s => s.Name);

    /// <summary>
    /// specs/default.yaml's configuration: main, one legacy slot and one <c>[isolated, isolated-override]</c> slot,
    /// the built-in catalogue (the spec names no catalogue of its own).
    /// </summary>
    public static Configuration Default(string semantics) => new(
        SemanticsRegistry.Find(semantics) ?? throw new ArgumentException($"unknown semantics {semantics}", nameof(semantics)),
        DefaultCatalogue.Create(),
        [SlotKind.Of(InterpKind.Legacy), SlotKind.Of(InterpKind.Isolated, InterpKind.IsolatedOverride)]);

    /// <summary>
    /// The first <paramref name="count"/> distinct concrete states (no canonical form) of a breadth-first walk from
    /// the initial state, in a fixed order: the same states on every run.
    /// </summary>
    public static IReadOnlyList<State> States(Configuration config, int count)
    {
        var seen = new HashSet<State> { config.Initial() };
        var order = new List<State> { config.Initial() };
        for (var next = 0; next < order.Count && order.Count < count; next++)
            foreach (var a in config.Actions(order[next]))
            {
                var s = config.Step(order[next], a).State;
                if (seen.Add(s)) order.Add(s);
                if (order.Count == count) break;
            }
        return order;
    }

    /// <summary>Every action enabled in each of <paramref name="states"/>, with its state.</summary>
    public static IReadOnlyList<(State State, Model.Action Action)> EnabledSteps(Configuration config, IEnumerable<State> states) =>
        states.SelectMany(s => config.Actions(s).Select(a => (s, a))).ToList();
}
