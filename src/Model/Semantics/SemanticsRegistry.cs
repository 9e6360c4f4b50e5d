namespace Verify.Model;

/// <summary>Every semantics Verify knows, by name. The fix strategies stand beside the CPython versions.</summary>
public static class SemanticsRegistry
{
    public static IReadOnlyList<Semantics> All { get; } =
    [
        new Cpython311(), new Cpython312(), new Cpython313(),
        new PerInterpreterDef(), new PerInterpreterMCopy(), new HowtoOptOut(), new ImmortalMCopy(),
    ];

    /// <summary>The CPython releases only.</summary>
    public static IEnumerable<Semantics> Releases => All.Where(s => !s.IsFixStrategy);
    /// <summary>The fix strategies only (docs/strategies.md).</summary>
    public static IEnumerable<Semantics> Strategies => All.Where(s => s.IsFixStrategy);

    public static Semantics? Find(string name) =>
        All.FirstOrDefault(s => s.Name == name || s.Aliases.Contains(name));

    public static IEnumerable<string> Names => All.SelectMany(s => s.Aliases.Prepend(s.Name));
}
