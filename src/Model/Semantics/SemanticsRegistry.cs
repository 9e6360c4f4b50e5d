namespace Verify.Model;

/// <summary>Every semantics Verify knows, by name. Fix strategies join this list beside the CPython versions.</summary>
public static class SemanticsRegistry
{
    public static IReadOnlyList<Semantics> All { get; } = [new Cpython311(), new Cpython312(), new Cpython313()];

    public static Semantics? Find(string name) =>
        All.FirstOrDefault(s => s.Name == name || s.Aliases.Contains(name));

    public static IEnumerable<string> Names => All.SelectMany(s => s.Aliases.Prepend(s.Name));
}
