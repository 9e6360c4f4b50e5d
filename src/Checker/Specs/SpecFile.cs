using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Specs;

/// <summary>
/// What a spec file configures (docs/specs.md): the catalogue, the subinterpreter slots and the modes each may
/// be created in, and for <c>verify check</c> the semantics and properties to check and an optional depth bound.
/// </summary>
/// <param name="Source">the file, or a name such as "built-in" for a spec Verify carries</param>
/// <param name="SlotKinds">slot <c>k</c> (1-based) may be created in the modes of <c>SlotKinds[k - 1]</c></param>
/// <param name="SlotsGiven">whether the spec set <c>slots</c> or <c>interpreters</c>; if not, replay widens the default to fit the trace</param>
internal sealed record SpecFile(string Source, Catalogue Catalogue, IReadOnlyList<SlotKind> SlotKinds, bool SlotsGiven)
{
    public const int DefaultSlots = 2;

    /// <summary>
    /// The most subinterpreter slots a spec or trace may use. Every slot multiplies the actions and the state, so a
    /// search needs far fewer; the bound keeps a typo such as <c>slots: 2000000000</c> from exhausting memory.
    /// </summary>
    public const int MaxSlots = 64;

    public SpecFile(string source, Catalogue catalogue, int slots, bool slotsGiven)
        : this(source, catalogue, Enumerable.Repeat(SlotKind.Any, slots).ToList(), slotsGiven) { }

    public int Slots => SlotKinds.Count;

    /// <summary>The semantics <c>verify check</c> runs (default: every one Verify knows), in registry order.</summary>
    public IReadOnlyList<Semantics> Semantics { get; init; } = SemanticsRegistry.All;

    /// <summary>The properties <c>verify check</c> judges (default: every one), in <see cref="IsolationProperties.All"/> order.</summary>
    public IReadOnlyList<Property> Properties { get; init; } = IsolationProperties.All;

    /// <summary>No trace longer than this is explored; null: to the fixpoint.</summary>
    public int? Depth { get; init; }

    public string? Description { get; init; }

    /// <summary>The ops a search may use (null: every op); traces replayed with the spec may use any.</summary>
    public IReadOnlySet<string>? Operations { get; init; }

    /// <summary>What <c>verify random</c> does by default with this spec.</summary>
    public RandomSpec Random { get; init; } = RandomSpec.Default;

    /// <summary>The configuration of one semantics under this spec's bounds.</summary>
    public Configuration ConfigurationFor(Semantics semantics) => new(semantics, Catalogue, SlotKinds, Operations);

    /// <summary>The file on disk it was read from (null for a spec Verify carries), for writing it into saved traces.</summary>
    public string? FilePath { get; init; }

    /// <summary>What <c>verify replay</c> uses without a spec: the built-in catalogue and two slots of any mode.</summary>
    public static SpecFile Default() => new("built-in", DefaultCatalogue.Create(), DefaultSlots, false);

    /// <summary>The configuration <c>verify check</c> uses without a SPEC: specs/default.yaml, carried inside verify.</summary>
    public static SpecFile BuiltInCheckDefault() => SpecParser.ParseText(BuiltInText(), BuiltInName);

    /// <summary>How the built-in default spec is named in messages and reports.</summary>
    public const string BuiltInName = "built-in specs/default.yaml";

    public static string BuiltInText()
    {
        using var stream = typeof(SpecFile).Assembly.GetManifestResourceStream("Verify.Checker.specs.default.yaml")
            ?? throw new InvalidOperationException("the built-in specs/default.yaml is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The slots as the spec writes them: <c>legacy, [isolated, isolated-override]</c>.</summary>
    public string SlotText => SlotKinds.Count == 0 ? "none" : string.Join(", ", SlotKinds.Select(k => k.Text));
}

/// <summary>A spec's <c>random</c> section: weights per op, swarm mode, and default run count and length (null: the command's).</summary>
internal sealed record RandomSpec(Random.ActionWeights Weights, bool Swarm, int? Runs, int? Length)
{
    public static RandomSpec Default { get; } = new(Random.ActionWeights.Default, true, null, null);
}
