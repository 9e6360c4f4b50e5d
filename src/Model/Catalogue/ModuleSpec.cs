namespace Verify.Model;

/// <summary>Where the import system finds a module's init function; it also shapes the cache key.</summary>
public enum Origin : byte
{
    /// <summary>a shared object: <c>_imp.create_dynamic</c>, key (path, name)</summary>
    Dynamic,
    /// <summary>an inittab entry: <c>_imp.create_builtin</c>, key (name, name)</summary>
    Builtin,
    /// <summary><c>sys</c>/<c>builtins</c>, fixed up when an interpreter is created</summary>
    Core,
}

/// <summary>
/// A name a program can import. The pair (path, name) is its extension-cache key, so the catalogue's
/// module list is also the list of every cache key the model can ever hold.
/// </summary>
/// <param name="Def">index of its <c>PyModuleDef</c> in <see cref="Catalogue.Defs"/></param>
/// <param name="Path">the shared object for dynamic modules; for builtins the key's path is the name itself</param>
public sealed record ModuleSpec(string Name, int Def, Origin Origin, string? Path)
{
    public string KeyPath => Origin == Origin.Dynamic ? Path! : Name;
    /// <summary>The cache key as 3.12+ spells it: <c>"path:name"</c>.</summary>
    public string Key => $"{KeyPath}:{Name}";
}
