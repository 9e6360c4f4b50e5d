using Verify.Model;
using Verify.Properties;
using Action = Verify.Model.Action;

namespace Verify.Checker.Symbolic;

/// <summary>What the encoding covers, and the concrete instance run on one explicit state.</summary>
public static class SymSupport
{
    /// <summary>The ops the encoding covers (reload is a no-op in every version).</summary>
    public static readonly IReadOnlySet<string> EncodedOps = new HashSet<string>
    {
        "new_interp", "end_interp", "import", "del_sys_modules", "reload", "clear_extension", "finalize",
    };

    /// <summary>
    /// Null if the encoding covers <paramref name="config"/> and <paramref name="properties"/>; otherwise every part it
    /// does not cover, named, with what would work instead.
    /// </summary>
    public static string? Refusal(Configuration config, IEnumerable<Property> properties)
    {
        var problems = new List<string>();
        if (SymVersion.For(config.Semantics) is null)
            problems.Add($"the semantics {config.Semantics.Name} is not encoded (encoded: {string.Join(", ", SymVersion.EncodedNames)})");
        var cat = config.Catalogue;
        for (var m = 0; m < cat.Modules.Count; m++)
        {
            if (cat.IsCore(m)) continue;
            var def = cat.DefOf(m);
            if (def.Style != InitStyle.SinglePhase || def.MSize != -1)
                problems.Add($"the module {cat.Modules[m].Name} ({Commands.ListCommand.Style(def.Style)}, m_size {def.MSize}) is not encoded: only single-phase modules with m_size -1 are (restrict the spec's 'modules')");
        }
        foreach (var op in config.Alphabet.Select(a => a.Op).Distinct())
            if (!EncodedOps.Contains(op))
                problems.Add($"the op {op} is not encoded (leave it out of the spec's 'operations'; encoded: {string.Join(", ", EncodedOps)})");
        foreach (var p in properties)
            if (!SymProperties.Encoded.Contains(p.Name))
                problems.Add($"the property {p.Name} is not encoded");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The room the concrete instance gives one step from <paramref name="s"/>.</summary>
    public static (int Capacity, int Indices) RoomFor(State s) => (s.Heap.Count + 48, s.IndexCounter + 3);

    /// <summary>
    /// The concrete instance on one step: whether <paramref name="a"/> is enabled in <paramref name="s"/>, and if so the
    /// successor (decoded into the explicit model's terms) and the properties that find something on the step.
    /// </summary>
    public static (bool Enabled, State? After, IReadOnlySet<string> Findings) Step(Configuration config, State s, Action a, IEnumerable<Property> properties)
    {
        var version = SymVersion.For(config.Semantics) ?? throw new SymbolicCapacityException($"the semantics {config.Semantics.Name} is not encoded");
        var (capacity, indices) = RoomFor(s);
        var alg = ConcreteAlgebra.Instance;
        var state = SymState<int>.Load(alg, s, config.Catalogue, capacity, indices);
        var m = new SymMachine<int>(alg, config.Catalogue, version, state, new SequentialSlots(s.Heap.Count, capacity));
        if (m.Enabled(a) == 0) return (false, null, new HashSet<string>());
        var before = state.Clone();
        m.Step(a);
        var findings = properties.Where(p => SymProperties.Finding(p, m, before, a) != 0).Select(p => p.Name).ToHashSet();
        return (true, SymDecode.ToState(m.S, config.Catalogue), findings);
    }

    /// <summary>The properties that find something in the initial state (judged as a step without action), concretely.</summary>
    public static IReadOnlySet<string> InitialFindings(Configuration config, State s, IEnumerable<Property> properties)
    {
        var version = SymVersion.For(config.Semantics) ?? throw new SymbolicCapacityException($"the semantics {config.Semantics.Name} is not encoded");
        var (capacity, indices) = RoomFor(s);
        var alg = ConcreteAlgebra.Instance;
        var m = new SymMachine<int>(alg, config.Catalogue, version, SymState<int>.Load(alg, s, config.Catalogue, capacity, indices),
            new SequentialSlots(s.Heap.Count, capacity));
        return properties.Where(p => SymProperties.Finding(p, m, null, null) != 0).Select(p => p.Name).ToHashSet();
    }
}
