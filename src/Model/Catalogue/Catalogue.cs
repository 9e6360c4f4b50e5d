namespace Verify.Model;

/// <summary>
/// The modules and defs of one configuration: a fixed, finite universe, so that states can index
/// defs, cache keys and C globals by position.
/// </summary>
public sealed class Catalogue
{
    public ValueArray<DefSpec> Defs { get; }
    public ValueArray<ModuleSpec> Modules { get; }
    /// <summary>Names of the C-globals groups (one per shared object's static state).</summary>
    public ValueArray<string> Globals { get; }
    /// <summary>The core modules every interpreter creates, in creation order (sys first).</summary>
    public ValueArray<int> CoreModules { get; }

    public Catalogue(IEnumerable<DefSpec> defs, IEnumerable<ModuleSpec> modules, IEnumerable<string> globals)
    {
        Defs = ValueArray.From(defs);
        Modules = ValueArray.From(modules);
        Globals = ValueArray.From(globals);
        var problems = Validate().ToList();
        if (problems.Count > 0)
            throw new CatalogueException(string.Join("; ", problems));
        CoreModules = ValueArray.From(Enumerable.Range(0, Modules.Count).Where(i => Modules[i].Origin == Origin.Core));
    }

    private IEnumerable<string> Validate()
    {
        var seen = new HashSet<string>();
        foreach (var m in Modules)
        {
            if (!seen.Add(m.Name)) yield return $"module '{m.Name}' is declared twice";
            if (m.Def < 0 || m.Def >= Defs.Count) { yield return $"module '{m.Name}' names no def"; continue; }
            var d = Defs[m.Def];
            if (m.Origin == Origin.Dynamic && string.IsNullOrEmpty(m.Path))
                yield return $"dynamic module '{m.Name}' needs a path";
            if ((m.Origin == Origin.Core) != (d.Style == InitStyle.Core))
                yield return $"module '{m.Name}': only core defs (sys, builtins) have the core origin";
        }
        foreach (var d in Defs)
        {
            if (d.Globals < 0 || d.Globals >= Globals.Count) yield return $"def '{d.Name}' names no C-globals group";
            if (d.IsMultiPhase && d.MSize < 0) yield return $"multi-phase def '{d.Name}' must have m_size >= 0";
            if (d.Style == InitStyle.Core && d.MSize != -1) yield return $"core def '{d.Name}' has m_size -1 in CPython";
        }
    }

    public int ModuleIndex(string name)
    {
        for (var i = 0; i < Modules.Count; i++)
            if (Modules[i].Name == name) return i;
        return -1;
    }

    /// <summary>
    /// The same catalogue with only <paramref name="moduleNames"/> and the core modules (every interpreter makes
    /// those), and the defs and C-globals groups they use: a bound that keeps a search's space small.
    /// </summary>
    public Catalogue Restrict(IReadOnlyCollection<string> moduleNames)
    {
        var modules = Modules.Where(m => m.Origin == Origin.Core || moduleNames.Contains(m.Name)).ToList();
        var defIndices = Enumerable.Range(0, Defs.Count).Where(d => modules.Any(m => m.Def == d)).ToList();
        var groupIndices = Enumerable.Range(0, Globals.Count).Where(g => defIndices.Any(d => Defs[d].Globals == g)).ToList();
        return new Catalogue(
            defIndices.Select(d => Defs[d] with { Globals = groupIndices.IndexOf(Defs[d].Globals) }),
            modules.Select(m => m with { Def = defIndices.IndexOf(m.Def) }),
            groupIndices.Select(g => Globals[g]));
    }

    public DefSpec DefOf(int module) => Defs[Modules[module].Def];
    public int DefIndexOf(int module) => Modules[module].Def;
    public bool IsCore(int module) => Modules[module].Origin == Origin.Core;
    /// <summary>The modules a program imports (every one but the core <c>sys</c>/<c>builtins</c>), in catalogue order.</summary>
    public IEnumerable<ModuleSpec> Importable => Modules.Where(m => m.Origin != Origin.Core);
}

public sealed class CatalogueException(string message) : Exception(message);
