namespace Verify.Model;

public enum InterpStatus : byte { NotCreated, Alive, Ended }

/// <summary>How an interpreter was configured; decides its allocator and whether the isolation check runs.</summary>
public enum InterpKind : byte
{
    Main,
    /// <summary><c>Py_NewInterpreter</c>: main's obmalloc and GIL, no check</summary>
    Legacy,
    /// <summary>3.12+: own obmalloc and GIL, <c>check_multi_interp_extensions</c> on</summary>
    Isolated,
    /// <summary>isolated, with <c>_imp._override_multi_interp_extensions_check(-1)</c>: own obmalloc, no check</summary>
    IsolatedOverride,
}

/// <summary>
/// One interpreter slot. <see cref="SysModules"/> is indexed by catalogue module (the requested name),
/// <see cref="ModulesByIndex"/> by <c>m_index</c>; both hold strong references.
/// </summary>
/// <param name="Born">creation order: main 0, then 1, 2, ... for subinterpreters in the order they were created (-1: not
/// created). Finalization ends the newest first and collectors run oldest first, so behaviour depends on creation
/// order, never on slot numbers: slots of one kind are interchangeable (the explorer's symmetry reduction).</param>
/// <param name="OwnMCopy">fix strategies only (empty for every CPython version): this interpreter's own <c>m_copy</c> per
/// def, a strong reference (strategies (a) and (b) of gh-101758 keep <c>m_copy</c> per interpreter)</param>
/// <param name="OwnKeys">fix strategy (a) only (empty otherwise): per catalogue module, whether this interpreter's own
/// extension cache holds that key</param>
public sealed record InterpState(
    InterpStatus Status,
    InterpKind Kind,
    int Born,
    ValueArray<ObjId> SysModules,
    ValueArray<ObjId> ModulesByIndex,
    ObjId SysDictCopy,
    ObjId BuiltinsCopy,
    ValueArray<ObjId> OwnMCopy = default,
    ValueArray<bool> OwnKeys = default)
{
    public static InterpState NotCreated { get; } =
        new(InterpStatus.NotCreated, InterpKind.Legacy, -1, default, default, ObjId.None, ObjId.None);

    /// <summary>This interpreter's own <c>m_copy</c> of a def (fix strategies); NULL if it has none.</summary>
    public ObjId OwnMCopyOf(int def) => def < OwnMCopy.Count ? OwnMCopy[def] : ObjId.None;
    /// <summary>Whether this interpreter's own extension cache holds a module's key (fix strategy (a)).</summary>
    public bool OwnsKey(int module) => module < OwnKeys.Count && OwnKeys[module];

    public bool IsAlive => Status == InterpStatus.Alive;
    /// <summary>The interpreter's own allocator exists only for isolated kinds; the others use main's (domain 0).</summary>
    public bool OwnAllocator => Kind is InterpKind.Isolated or InterpKind.IsolatedOverride;
    /// <summary><c>check_multi_interp_extensions</c> in force (and not overridden).</summary>
    public bool CheckOn => Kind == InterpKind.Isolated;

    public ObjId SysModule(int module) => module < SysModules.Count ? SysModules[module] : ObjId.None;
    public ObjId Mbi(int index) => index > 0 && index < ModulesByIndex.Count ? ModulesByIndex[index] : ObjId.None;
}
